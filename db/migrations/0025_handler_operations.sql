CREATE TABLE "substitutions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"substitute_id" text NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"reason" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"cancelled_at" timestamp with time zone,
	CONSTRAINT "substitutions_window" CHECK ("substitutions"."starts_at" < "substitutions"."ends_at"),
	CONSTRAINT "substitutions_not_self" CHECK ("substitutions"."user_id" <> "substitutions"."substitute_id")
);
--> statement-breakpoint
CREATE TABLE "case_comments" (
	"id" uuid PRIMARY KEY NOT NULL,
	"case_id" uuid NOT NULL,
	"author_id" text NOT NULL,
	"department_code" text NOT NULL,
	"text" text NOT NULL,
	"visibility" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "case_copies" (
	"id" uuid PRIMARY KEY NOT NULL,
	"case_id" uuid NOT NULL,
	"sent_by" text NOT NULL,
	"sent_by_department" text NOT NULL,
	"recipient_user" text,
	"recipient_department" text,
	"note" text NOT NULL,
	"sent_at" timestamp with time zone NOT NULL,
	"read_at" timestamp with time zone,
	"read_by" text,
	CONSTRAINT "case_copies_one_recipient" CHECK (("case_copies"."recipient_user" is null) <> ("case_copies"."recipient_department" is null))
);
--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "delegated_by" text;--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "delegation" text;--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "delegation_proposal" jsonb;--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "substituted_for" text;--> statement-breakpoint
ALTER TABLE "substitutions" ADD CONSTRAINT "substitutions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "substitutions" ADD CONSTRAINT "substitutions_substitute_id_users_id_fk" FOREIGN KEY ("substitute_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "substitutions_user_idx" ON "substitutions" USING btree ("user_id","ends_at");--> statement-breakpoint
CREATE INDEX "substitutions_substitute_idx" ON "substitutions" USING btree ("substitute_id","ends_at");--> statement-breakpoint
CREATE INDEX "case_comments_case_idx" ON "case_comments" USING btree ("case_id","created_at");--> statement-breakpoint
CREATE INDEX "case_copies_case_idx" ON "case_copies" USING btree ("case_id","sent_at");--> statement-breakpoint
CREATE INDEX "case_copies_user_idx" ON "case_copies" USING btree ("recipient_user","sent_at") WHERE "case_copies"."recipient_user" is not null;--> statement-breakpoint
CREATE INDEX "case_copies_department_idx" ON "case_copies" USING btree ("recipient_department","sent_at") WHERE "case_copies"."recipient_department" is not null;--> statement-breakpoint
CREATE INDEX "cases_applicant_name_idx" ON "cases" USING btree (("applicant"->>'name') text_pattern_ops);--> statement-breakpoint
CREATE INDEX "tasks_claimed_by_idx" ON "tasks" USING btree ("assignee_id","due_at") WHERE "tasks"."status" = 'claimed';--> statement-breakpoint
CREATE INDEX "tasks_completed_by_idx" ON "tasks" USING btree ("completed_by","completed_at") WHERE "tasks"."status" = 'completed';--> statement-breakpoint
CREATE INDEX "tasks_delegated_to_idx" ON "tasks" USING btree ("assignee_id","due_at") WHERE "tasks"."delegation" = 'pending' and "tasks"."status" = 'claimed';--> statement-breakpoint
-- 终止 (`terminated`) ends a case without a decision, like 撤件: neither on time nor late. 中止 (`suspended`) takes a case
-- out of the open counts until it resumes, and is not a finish either (its completed_at stays null). The recounts already
-- say so (finished: approved or refused; open: running). 0024's trigger function with that one condition.
CREATE OR REPLACE FUNCTION supervision_count() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  was_open boolean := false;
  was_colour text;
  is_open boolean;
  finished_at timestamptz;
  opened_at timestamptz; -- the row's cohort: the week it was started or opened in
  days integer := 0; -- the working days a finished step took, and whether it had a clock to tell them (timed)
  timed integer := 0;
  what text; -- the counters' subject: 'case' or 'task'
  department text;
  item text;
  d_open integer;
  d_yellow integer;
  d_red integer;
  s smallint;
BEGIN
  IF TG_TABLE_NAME = 'cases' THEN
    what := 'case';
    is_open := NEW.status = 'running';
    IF TG_OP = 'UPDATE' THEN
      was_open := OLD.status = 'running';
      was_colour := OLD.warning_level;
    END IF;
    -- A case withdrawn (撤件), terminated (终止) or suspended (中止) was not decided: neither on time nor late.
    IF NOT is_open AND (TG_OP = 'INSERT' OR was_open) AND NEW.status NOT IN ('withdrawn', 'terminated', 'suspended') THEN
      finished_at := NEW.completed_at;
    END IF;
    s := supervision_slot(NEW.id);
    department := NEW.lead_department;
    item := NEW.service_item_code;
    opened_at := NEW.created_at;
  ELSE
    what := 'task';
    is_open := NEW.status IN ('open', 'claimed');
    IF TG_OP = 'UPDATE' THEN
      was_open := OLD.status IN ('open', 'claimed');
      was_colour := OLD.warning_level;
    END IF;
    IF NEW.status = 'completed' AND (TG_OP = 'INSERT' OR OLD.status <> 'completed') THEN
      finished_at := NEW.completed_at;
      IF NEW.working_days IS NOT NULL THEN
        days := NEW.working_days;
        timed := 1;
      END IF;
    END IF;
    s := supervision_slot(NEW.case_id);
    department := NEW.department_code;
    item := NEW.service_item_code;
    IF item IS NULL THEN -- a task closed before tasks carried their item (0018)
      SELECT c.service_item_code INTO item FROM cases c WHERE c.id = NEW.case_id;
    END IF;
    opened_at := NEW.opened_at;
  END IF;
  d_open := is_open::integer - was_open::integer;
  d_yellow := (is_open AND NEW.warning_level = 'yellow')::integer - (was_open AND was_colour = 'yellow')::integer;
  d_red := (is_open AND NEW.warning_level = 'red')::integer - (was_open AND was_colour = 'red')::integer;
  IF TG_OP = 'UPDATE' AND d_open = 0 AND d_yellow = 0 AND d_red = 0 AND finished_at IS NULL THEN
    RETURN NULL;
  END IF;
  PERFORM pg_advisory_xact_lock(7262018, s); -- 7262018: 0019's lock space (the migrations' own is 7262001)
  IF d_open <> 0 OR d_yellow <> 0 OR d_red <> 0 THEN
    INSERT INTO supervision_counts AS c (month, subject, department_code, service_item_code, slot, open, yellow, red)
    VALUES (NULL, what, department, coalesce(item, ''), s, d_open, d_yellow, d_red)
    ON CONFLICT (month, subject, department_code, service_item_code, slot) DO UPDATE
      SET open = c.open + excluded.open, yellow = c.yellow + excluded.yellow, red = c.red + excluded.red;
  END IF;
  IF TG_OP = 'INSERT' OR d_open <> 0 OR d_red <> 0 THEN
    INSERT INTO supervision_weeks AS w (week, subject, department_code, slot, opened, open, red)
    VALUES (supervision_week(opened_at), what, department, s, (TG_OP = 'INSERT')::integer, d_open, d_red)
    ON CONFLICT (week, subject, department_code, slot) DO UPDATE
      SET opened = w.opened + excluded.opened, open = w.open + excluded.open, red = w.red + excluded.red;
  END IF;
  IF finished_at IS NOT NULL THEN
    INSERT INTO supervision_counts AS c (month, subject, department_code, service_item_code, slot, on_time, late, working_days, timed_steps)
    VALUES (supervision_month(finished_at), what, department, coalesce(item, ''), s,
      (finished_at <= NEW.due_at)::integer, (finished_at > NEW.due_at)::integer, days, timed)
    ON CONFLICT (month, subject, department_code, service_item_code, slot) DO UPDATE
      SET on_time = c.on_time + excluded.on_time, late = c.late + excluded.late,
        working_days = c.working_days + excluded.working_days, timed_steps = c.timed_steps + excluded.timed_steps;
    INSERT INTO supervision_weeks AS w (week, subject, department_code, slot, on_time, late, working_days, timed_steps)
    VALUES (supervision_week(finished_at), what, department, s, (finished_at <= NEW.due_at)::integer, (finished_at > NEW.due_at)::integer, days, timed)
    ON CONFLICT (week, subject, department_code, slot) DO UPDATE
      SET on_time = w.on_time + excluded.on_time, late = w.late + excluded.late,
        working_days = w.working_days + excluded.working_days, timed_steps = w.timed_steps + excluded.timed_steps;
  END IF;
  RETURN NULL;
END $$;
