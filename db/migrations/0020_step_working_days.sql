ALTER TABLE "tasks" ADD COLUMN "working_days" integer;--> statement-breakpoint
ALTER TABLE "supervision_counts" ADD COLUMN "working_days" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "supervision_counts" ADD COLUMN "timed_steps" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- The time a step took (the working days its clock consumed, written with its completion) adds to its
-- department's counters of the month it finished in, beside on time / late: the average per step is
-- working_days ÷ timed_steps (steps opened before clocks were kept have none and are not in it). A trigger of its
-- own, on the completion only, under the same slot lock as supervision_count() (taken again: it is reentrant).
CREATE FUNCTION supervision_step_time() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  s smallint := supervision_slot(NEW.case_id);
  item text := NEW.service_item_code;
BEGIN
  IF item IS NULL THEN
    SELECT c.service_item_code INTO item FROM cases c WHERE c.id = NEW.case_id;
  END IF;
  PERFORM pg_advisory_xact_lock(7262018, s);
  INSERT INTO supervision_counts AS c (month, subject, department_code, service_item_code, slot, working_days, timed_steps)
  VALUES (supervision_month(NEW.completed_at), 'task', NEW.department_code, coalesce(item, ''), s, NEW.working_days, 1)
  ON CONFLICT (month, subject, department_code, service_item_code, slot) DO UPDATE
    SET working_days = c.working_days + excluded.working_days, timed_steps = c.timed_steps + 1;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER supervision_step_time AFTER UPDATE OF status ON tasks
  FOR EACH ROW WHEN (OLD.status <> 'completed' AND NEW.status = 'completed' AND NEW.working_days IS NOT NULL AND NEW.completed_at IS NOT NULL)
  EXECUTE FUNCTION supervision_step_time();
--> statement-breakpoint
-- The recount counts the steps' time too (0019's, with the two columns).
CREATE OR REPLACE FUNCTION supervision_recount() RETURNS void LANGUAGE sql AS $$
  DELETE FROM supervision_counts;
  INSERT INTO supervision_counts (month, subject, department_code, service_item_code, slot, open, yellow, red, on_time, late, working_days, timed_steps)
  SELECT NULL, 'case', lead_department, service_item_code, supervision_slot(id), count(*),
    count(*) FILTER (WHERE warning_level = 'yellow'), count(*) FILTER (WHERE warning_level = 'red'), 0, 0, 0, 0
  FROM cases WHERE status = 'running' GROUP BY 3, 4, 5
  UNION ALL
  SELECT supervision_month(completed_at), 'case', lead_department, service_item_code, supervision_slot(id), 0, 0, 0,
    count(*) FILTER (WHERE completed_at <= due_at), count(*) FILTER (WHERE completed_at > due_at), 0, 0
  FROM cases WHERE status <> 'running' AND completed_at IS NOT NULL GROUP BY 1, 3, 4, 5
  UNION ALL
  SELECT NULL, 'task', t.department_code, coalesce(c.service_item_code, ''), supervision_slot(t.case_id), count(*),
    count(*) FILTER (WHERE t.warning_level = 'yellow'), count(*) FILTER (WHERE t.warning_level = 'red'), 0, 0, 0, 0
  FROM tasks t LEFT JOIN cases c ON c.id = t.case_id WHERE t.status IN ('open', 'claimed') GROUP BY 3, 4, 5
  UNION ALL
  SELECT supervision_month(t.completed_at), 'task', t.department_code, coalesce(c.service_item_code, ''), supervision_slot(t.case_id), 0, 0, 0,
    count(*) FILTER (WHERE t.completed_at <= t.due_at), count(*) FILTER (WHERE t.completed_at > t.due_at),
    coalesce(sum(t.working_days), 0), count(t.working_days)
  FROM tasks t LEFT JOIN cases c ON c.id = t.case_id WHERE t.status = 'completed' AND t.completed_at IS NOT NULL GROUP BY 1, 3, 4, 5;
$$;
