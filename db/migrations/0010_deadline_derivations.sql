ALTER TABLE "service_items" ADD COLUMN "counting_rule" jsonb DEFAULT '{"cutOffLocalTime":"17:00"}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "counting_rule" jsonb DEFAULT '{"cutOffLocalTime":"17:00"}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "due_derivation" jsonb;--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "due_derivation" jsonb;--> statement-breakpoint
ALTER TABLE "timers" ADD COLUMN "due_derivation" jsonb;--> statement-breakpoint
CREATE INDEX "cases_running_due_version_idx" ON "cases" USING btree (("due_derivation"->>'calendarVersion'),"id") WHERE "cases"."status" = 'running' and "cases"."due_derivation" is not null;--> statement-breakpoint
CREATE INDEX "tasks_open_due_version_idx" ON "tasks" USING btree (("due_derivation"->>'calendarVersion'),"case_id") WHERE "tasks"."status" in ('open', 'claimed') and "tasks"."due_derivation" is not null;--> statement-breakpoint
CREATE INDEX "timers_pending_due_version_idx" ON "timers" USING btree (("due_derivation"->>'calendarVersion'),"case_id") WHERE "timers"."status" = 'pending' and "timers"."due_derivation" is not null;