-- The supervisors' lists and counts (db/supervision-queries.ts): partial indexes holding only the running cases and
-- open tasks coloured yellow or red, by colour and due time (all, per department, per service item), replacing the
-- running cases' due-time index they supersede; tasks carry their case's service item for the last; the counters'
-- table, kept by the triggers of 0019_supervision_counts.
CREATE TABLE "supervision_counts" (
	"subject" text NOT NULL,
	"department_code" text NOT NULL,
	"service_item_code" text NOT NULL,
	"month" date,
	"slot" smallint NOT NULL,
	"open" integer DEFAULT 0 NOT NULL,
	"yellow" integer DEFAULT 0 NOT NULL,
	"red" integer DEFAULT 0 NOT NULL,
	"on_time" integer DEFAULT 0 NOT NULL,
	"late" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "supervision_counts_key" UNIQUE NULLS NOT DISTINCT("month","subject","department_code","service_item_code","slot")
);
--> statement-breakpoint
DROP INDEX "cases_running_due_idx";--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "service_item_code" text;--> statement-breakpoint
CREATE INDEX "cases_at_risk_idx" ON "cases" USING btree ("warning_level","due_at","id","lead_department","service_item_code") WHERE status = 'running' and warning_level in ('yellow', 'red');--> statement-breakpoint
CREATE INDEX "cases_at_risk_lead_idx" ON "cases" USING btree ("lead_department","warning_level","due_at","id","service_item_code") WHERE status = 'running' and warning_level in ('yellow', 'red');--> statement-breakpoint
CREATE INDEX "cases_at_risk_item_idx" ON "cases" USING btree ("service_item_code","warning_level","due_at","id","lead_department") WHERE status = 'running' and warning_level in ('yellow', 'red');--> statement-breakpoint
CREATE INDEX "tasks_at_risk_idx" ON "tasks" USING btree ("warning_level","due_at","id","department_code","service_item_code") WHERE status in ('open', 'claimed') and warning_level in ('yellow', 'red');--> statement-breakpoint
CREATE INDEX "tasks_at_risk_department_idx" ON "tasks" USING btree ("department_code","warning_level","due_at","id","service_item_code") WHERE status in ('open', 'claimed') and warning_level in ('yellow', 'red');--> statement-breakpoint
CREATE INDEX "tasks_at_risk_item_idx" ON "tasks" USING btree ("service_item_code","warning_level","due_at","id","department_code") WHERE status in ('open', 'claimed') and warning_level in ('yellow', 'red');