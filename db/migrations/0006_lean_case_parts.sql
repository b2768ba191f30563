-- Case parts lose their foreign keys to cases (see db/schema/cases.ts); tasks keep one index per case
-- (case_id, department_code) instead of two; notifications get the partial index the relay claims through.
ALTER TABLE "licences" DROP CONSTRAINT "licences_case_id_cases_id_fk";
--> statement-breakpoint
ALTER TABLE "materials" DROP CONSTRAINT "materials_case_id_cases_id_fk";
--> statement-breakpoint
ALTER TABLE "opinions" DROP CONSTRAINT "opinions_case_id_cases_id_fk";
--> statement-breakpoint
ALTER TABLE "tasks" DROP CONSTRAINT "tasks_case_id_cases_id_fk";
--> statement-breakpoint
ALTER TABLE "notifications" DROP CONSTRAINT "notifications_case_id_cases_id_fk";
--> statement-breakpoint
ALTER TABLE "timers" DROP CONSTRAINT "timers_case_id_cases_id_fk";
--> statement-breakpoint
ALTER TABLE "audit_events" DROP CONSTRAINT "audit_events_case_id_cases_id_fk";
--> statement-breakpoint
DROP INDEX "tasks_case_idx";--> statement-breakpoint
DROP INDEX "tasks_department_case_idx";--> statement-breakpoint
CREATE INDEX "tasks_case_department_idx" ON "tasks" USING btree ("case_id","department_code");--> statement-breakpoint
CREATE INDEX "notifications_undelivered_idx" ON "notifications" USING btree ("created_at") WHERE "notifications"."delivered_at" is null;