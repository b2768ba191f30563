ALTER TABLE "timer_incidents" ADD COLUMN "resolution" text;--> statement-breakpoint
-- Until now an administrator's retry was the only way an incident was resolved.
UPDATE "timer_incidents" SET "resolution" = 'retried' WHERE "resolved_at" IS NOT NULL;--> statement-breakpoint
-- Incidents of cases already closed could never be resolved (a retry answers 409): resolve them as their
-- cases' closing commands now do, at the instant the case closed, and cancel their timers.
UPDATE "timers" t SET "status" = 'cancelled' FROM "cases" c
WHERE c."id" = t."case_id" AND c."status" <> 'running' AND t."status" = 'failed';--> statement-breakpoint
UPDATE "timer_incidents" i SET "resolved_at" = coalesce(c."completed_at", c."updated_at"), "resolved_by" = 'system', "resolution" = 'case-closed' FROM "cases" c
WHERE c."id" = i."case_id" AND c."status" <> 'running' AND i."resolved_at" IS NULL;
