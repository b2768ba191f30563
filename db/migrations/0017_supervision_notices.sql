-- Supervision notices (督办): issued open on a case or one of its tasks, answered or closed once (db/effects/notice-writers.ts);
-- listed by due time, by status for supervisors and by holding department (db/supervision-notice-queries.ts).
CREATE TABLE "supervision_notices" (
	"id" uuid PRIMARY KEY NOT NULL,
	"case_id" uuid NOT NULL,
	"task_id" uuid,
	"department_code" text NOT NULL,
	"message" text NOT NULL,
	"issued_by" text NOT NULL,
	"issued_at" timestamp with time zone NOT NULL,
	"response_working_days" integer NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"status" text NOT NULL,
	"response" text,
	"responded_by" text,
	"responded_at" timestamp with time zone,
	"closed_by" text,
	"closed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE INDEX "supervision_notices_case_idx" ON "supervision_notices" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "supervision_notices_status_idx" ON "supervision_notices" USING btree ("status","due_at","id");--> statement-breakpoint
CREATE INDEX "supervision_notices_department_idx" ON "supervision_notices" USING btree ("department_code","status","due_at","id");