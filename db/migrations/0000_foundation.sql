CREATE TABLE "departments" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"parent_code" text
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"department_code" text NOT NULL,
	"roles" text[] NOT NULL,
	"active" boolean DEFAULT true NOT NULL
);
--> statement-breakpoint
CREATE TABLE "calendars" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"utc_offset_minutes" integer NOT NULL,
	"holidays" text[] NOT NULL,
	"make_up_workdays" text[] NOT NULL
);
--> statement-breakpoint
CREATE TABLE "process_definitions" (
	"key" text NOT NULL,
	"version" integer NOT NULL,
	"title" text NOT NULL,
	"machine" jsonb NOT NULL,
	"checksum" text NOT NULL,
	"published_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "process_definitions_key_version_pk" PRIMARY KEY("key","version"),
	CONSTRAINT "process_definitions_version_positive" CHECK ("process_definitions"."version" > 0)
);
--> statement-breakpoint
CREATE TABLE "service_items" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"legal_basis" text NOT NULL,
	"lead_department" text NOT NULL,
	"legal_limit_days" integer NOT NULL,
	"committed_limit_days" integer NOT NULL,
	"definition_key" text NOT NULL,
	"calendar_code" text NOT NULL,
	CONSTRAINT "service_items_limits" CHECK ("service_items"."committed_limit_days" > 0 and "service_items"."committed_limit_days" <= "service_items"."legal_limit_days")
);
--> statement-breakpoint
CREATE TABLE "cases" (
	"id" uuid PRIMARY KEY NOT NULL,
	"service_item_code" text NOT NULL,
	"definition_key" text NOT NULL,
	"definition_version" integer NOT NULL,
	"lead_department" text NOT NULL,
	"intake_department" text NOT NULL,
	"applicant" jsonb NOT NULL,
	"status" text NOT NULL,
	"state_label" text NOT NULL,
	"snapshot" jsonb NOT NULL,
	"version" integer NOT NULL,
	"audit_seq" integer NOT NULL,
	"audit_head" text NOT NULL,
	"calendar_code" text NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"completed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "licences" (
	"id" uuid PRIMARY KEY NOT NULL,
	"case_id" uuid NOT NULL,
	"number" text NOT NULL,
	"licence_type" text NOT NULL,
	"title" text NOT NULL,
	"holder" jsonb NOT NULL,
	"issued_at" timestamp with time zone NOT NULL,
	CONSTRAINT "licences_number_unique" UNIQUE("number")
);
--> statement-breakpoint
CREATE TABLE "materials" (
	"id" uuid PRIMARY KEY NOT NULL,
	"case_id" uuid NOT NULL,
	"name" text NOT NULL,
	"sha256" text NOT NULL,
	"size_bytes" bigint NOT NULL,
	"submitted_by" text NOT NULL,
	"submitted_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "opinions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"case_id" uuid NOT NULL,
	"task_id" uuid NOT NULL,
	"department_code" text NOT NULL,
	"author_id" text NOT NULL,
	"outcome" text NOT NULL,
	"text" text NOT NULL,
	"visibility" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tasks" (
	"id" uuid PRIMARY KEY NOT NULL,
	"case_id" uuid NOT NULL,
	"key" text NOT NULL,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"department_code" text NOT NULL,
	"status" text NOT NULL,
	"assignee_id" text,
	"outcome" text,
	"warning_level" text DEFAULT 'green' NOT NULL,
	"opened_at" timestamp with time zone NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"completed_at" timestamp with time zone,
	"completed_by" text
);
--> statement-breakpoint
CREATE TABLE "notifications" (
	"id" uuid PRIMARY KEY NOT NULL,
	"case_id" uuid NOT NULL,
	"department_code" text,
	"audience" text NOT NULL,
	"template" text NOT NULL,
	"data" jsonb NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"delivered_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "outbox" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "outbox_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"case_id" uuid,
	"topic" text NOT NULL,
	"payload" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "timers" (
	"id" uuid PRIMARY KEY NOT NULL,
	"case_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"task_id" uuid,
	"event" jsonb NOT NULL,
	"send_id" text,
	"due_at" timestamp with time zone NOT NULL,
	"status" text NOT NULL,
	"fired_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "audit_events" (
	"case_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"type" text NOT NULL,
	"actor_id" text NOT NULL,
	"acting_for" text,
	"occurred_at" timestamp with time zone NOT NULL,
	"data" jsonb NOT NULL,
	"prev_hash" text NOT NULL,
	"hash" text NOT NULL,
	CONSTRAINT "audit_events_case_id_seq_pk" PRIMARY KEY("case_id","seq")
);
--> statement-breakpoint
ALTER TABLE "departments" ADD CONSTRAINT "departments_parent_code_departments_code_fk" FOREIGN KEY ("parent_code") REFERENCES "public"."departments"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_department_code_departments_code_fk" FOREIGN KEY ("department_code") REFERENCES "public"."departments"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_items" ADD CONSTRAINT "service_items_lead_department_departments_code_fk" FOREIGN KEY ("lead_department") REFERENCES "public"."departments"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_items" ADD CONSTRAINT "service_items_calendar_code_calendars_code_fk" FOREIGN KEY ("calendar_code") REFERENCES "public"."calendars"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "licences" ADD CONSTRAINT "licences_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "materials" ADD CONSTRAINT "materials_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opinions" ADD CONSTRAINT "opinions_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "timers" ADD CONSTRAINT "timers_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_events" ADD CONSTRAINT "audit_events_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "departments_parent_idx" ON "departments" USING btree ("parent_code");--> statement-breakpoint
CREATE INDEX "users_department_idx" ON "users" USING btree ("department_code");--> statement-breakpoint
CREATE INDEX "cases_running_due_idx" ON "cases" USING btree ("due_at") WHERE "cases"."status" = 'running';--> statement-breakpoint
CREATE INDEX "cases_lead_department_idx" ON "cases" USING btree ("lead_department","created_at");--> statement-breakpoint
CREATE INDEX "cases_intake_department_idx" ON "cases" USING btree ("intake_department","created_at");--> statement-breakpoint
CREATE INDEX "licences_case_idx" ON "licences" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "materials_case_idx" ON "materials" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "opinions_case_idx" ON "opinions" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "tasks_case_idx" ON "tasks" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "tasks_inbox_idx" ON "tasks" USING btree ("department_code","due_at") WHERE "tasks"."status" in ('open', 'claimed');--> statement-breakpoint
CREATE INDEX "tasks_done_idx" ON "tasks" USING btree ("department_code","completed_at") WHERE "tasks"."status" = 'completed';--> statement-breakpoint
CREATE INDEX "tasks_department_case_idx" ON "tasks" USING btree ("department_code","case_id");--> statement-breakpoint
CREATE UNIQUE INDEX "tasks_open_key_idx" ON "tasks" USING btree ("case_id","key") WHERE "tasks"."status" in ('open', 'claimed');--> statement-breakpoint
CREATE INDEX "notifications_department_idx" ON "notifications" USING btree ("department_code","created_at");--> statement-breakpoint
CREATE INDEX "outbox_unsent_idx" ON "outbox" USING btree ("id") WHERE "outbox"."sent_at" is null;--> statement-breakpoint
CREATE INDEX "timers_pending_due_idx" ON "timers" USING btree ("due_at") WHERE "timers"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "timers_pending_task_idx" ON "timers" USING btree ("task_id") WHERE "timers"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "timers_pending_case_idx" ON "timers" USING btree ("case_id") WHERE "timers"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "audit_events_occurred_idx" ON "audit_events" USING btree ("occurred_at");