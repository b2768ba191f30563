-- A case withdrawn by its applicant (撤件, status `withdrawn`, migration 0023's commands) ends without a decision:
-- supervision's on-time and late counts (效能监察) are of decisions, so it is not counted as finished — only as no
-- longer open. 0021's trigger function and both recounts, with that one condition.
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
    -- A case withdrawn by its applicant (撤件) was not decided: neither on time nor late.
    IF NOT is_open AND (TG_OP = 'INSERT' OR was_open) AND NEW.status <> 'withdrawn' THEN
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
--> statement-breakpoint
CREATE OR REPLACE FUNCTION supervision_weeks_recount() RETURNS void LANGUAGE sql AS $$
  DELETE FROM supervision_weeks;
  INSERT INTO supervision_weeks (week, subject, department_code, slot, opened, open, red, on_time, late, working_days, timed_steps)
  SELECT week, subject, department_code, slot, sum(opened), sum(open), sum(red), sum(on_time), sum(late), sum(working_days), sum(timed_steps)
  FROM (
    SELECT supervision_week(created_at) AS week, 'case' AS subject, lead_department AS department_code, supervision_slot(id) AS slot,
      count(*) AS opened, count(*) FILTER (WHERE status = 'running') AS open, count(*) FILTER (WHERE status = 'running' AND warning_level = 'red') AS red,
      0 AS on_time, 0 AS late, 0 AS working_days, 0 AS timed_steps
    FROM cases GROUP BY 1, 3, 4
    UNION ALL
    SELECT supervision_week(completed_at), 'case', lead_department, supervision_slot(id), 0, 0, 0,
      count(*) FILTER (WHERE completed_at <= due_at), count(*) FILTER (WHERE completed_at > due_at), 0, 0
    FROM cases WHERE status IN ('approved', 'refused') AND completed_at IS NOT NULL GROUP BY 1, 3, 4
    UNION ALL
    SELECT supervision_week(opened_at), 'task', department_code, supervision_slot(case_id),
      count(*), count(*) FILTER (WHERE status IN ('open', 'claimed')), count(*) FILTER (WHERE status IN ('open', 'claimed') AND warning_level = 'red'), 0, 0, 0, 0
    FROM tasks GROUP BY 1, 3, 4
    UNION ALL
    SELECT supervision_week(completed_at), 'task', department_code, supervision_slot(case_id), 0, 0, 0,
      count(*) FILTER (WHERE completed_at <= due_at), count(*) FILTER (WHERE completed_at > due_at),
      coalesce(sum(working_days), 0), count(working_days)
    FROM tasks WHERE status = 'completed' AND completed_at IS NOT NULL GROUP BY 1, 3, 4
  ) AS counted
  GROUP BY 1, 2, 3, 4;
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION supervision_recount() RETURNS void LANGUAGE sql AS $$
  DELETE FROM supervision_counts;
  INSERT INTO supervision_counts (month, subject, department_code, service_item_code, slot, open, yellow, red, on_time, late, working_days, timed_steps)
  SELECT NULL, 'case', lead_department, service_item_code, supervision_slot(id), count(*),
    count(*) FILTER (WHERE warning_level = 'yellow'), count(*) FILTER (WHERE warning_level = 'red'), 0, 0, 0, 0
  FROM cases WHERE status = 'running' GROUP BY 3, 4, 5
  UNION ALL
  SELECT supervision_month(completed_at), 'case', lead_department, service_item_code, supervision_slot(id), 0, 0, 0,
    count(*) FILTER (WHERE completed_at <= due_at), count(*) FILTER (WHERE completed_at > due_at), 0, 0
  FROM cases WHERE status IN ('approved', 'refused') AND completed_at IS NOT NULL GROUP BY 1, 3, 4, 5
  UNION ALL
  SELECT NULL, 'task', t.department_code, coalesce(c.service_item_code, ''), supervision_slot(t.case_id), count(*),
    count(*) FILTER (WHERE t.warning_level = 'yellow'), count(*) FILTER (WHERE t.warning_level = 'red'), 0, 0, 0, 0
  FROM tasks t LEFT JOIN cases c ON c.id = t.case_id WHERE t.status IN ('open', 'claimed') GROUP BY 3, 4, 5
  UNION ALL
  SELECT supervision_month(t.completed_at), 'task', t.department_code, coalesce(c.service_item_code, ''), supervision_slot(t.case_id), 0, 0, 0,
    count(*) FILTER (WHERE t.completed_at <= t.due_at), count(*) FILTER (WHERE t.completed_at > t.due_at),
    coalesce(sum(t.working_days), 0), count(t.working_days)
  FROM tasks t LEFT JOIN cases c ON c.id = t.case_id WHERE t.status = 'completed' AND t.completed_at IS NOT NULL GROUP BY 1, 3, 4, 5;
  SELECT supervision_weeks_recount();
$$;
