-- The supervisors' counters (supervision_counts, GET /api/supervision/departments), kept by the commands that
-- change what they count, in the commands' own transactions: what is open now (running cases, open tasks; of
-- them yellow and red) and what finished in each month (Beijing time), on time (completed_at <= due_at) or late,
-- per subject ('case' by its lead department, 'task' by its own department) and service item.
--
-- Why counters, and not a count when asked: counting reads every open task or running case (87 and 332 ms p95
-- at a million cases, bench/RESULTS.md), and a covering index cannot make count(*) cheaper than the entries it
-- counts (the index-only count of the 360,000 open tasks already took 54 ms there). Why
-- triggers, and not the commit statement: the rows that change a count are written by several of its arms (a
-- task opened, completed, warned or cancelled, the case closed), and the statement's effects are the engine's;
-- a trigger sees each row as it was and as it is, whoever wrote it, so the counts cannot drift from the rows.
--
-- What a command pays: nothing unless a counted thing changes (the triggers' WHEN clauses: a claim, a release,
-- a moved due date, a new snapshot call no function). A task opened, completed or recoloured, and a case started,
-- closed or recoloured, calls supervision_count() once for its row: a transaction-scoped advisory lock on the
-- case's slot and one upsert of one or two counter rows. Measured (bench/RESULTS.md, "Supervision"): about 80 us
-- of PostgreSQL time per counted change and about one change per command, construction permits end to end.
-- The lock orders the counter rows of one slot: without it two commands each changing two departments' counts
-- (one completes a fire review and opens a water one, the other the reverse) could deadlock. Commands of cases in
-- other slots never wait; those in the same slot wait for the other's COMMIT (the triggers run at the end of the
-- commit statement, which COMMIT follows at once). A transaction that changes the counts of several cases (none
-- does today: every command is one case's) takes several slots' locks, in its rows' order. 16 slots: a command
-- waits on another only when both change counts and their cases share a slot (1 in 16), and a reader sums 16
-- rows per department and item.
--
-- Bulk loads that turn triggers off (session_replication_role = replica, as bench/bulk-load.ts does) count
-- again afterwards with supervision_recount().

-- Open tasks take their case's service item (the commit statement writes it on every task it opens, from now
-- on); closed ones keep null: the lists show only open tasks, and the counters below join the case.
UPDATE tasks t SET service_item_code = c.service_item_code FROM cases c
  WHERE c.id = t.case_id AND t.status IN ('open', 'claimed') AND t.service_item_code IS NULL;
--> statement-breakpoint
CREATE FUNCTION supervision_slot(case_id uuid) RETURNS smallint LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT (hashtext(case_id::text) & 15)::smallint $$;
--> statement-breakpoint
CREATE FUNCTION supervision_month(finished_at timestamptz) RETURNS date LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT date_trunc('month', finished_at AT TIME ZONE 'Asia/Shanghai')::date $$;
--> statement-breakpoint
-- One trigger function for both tables (PL/pgSQL keeps its plans per table): what the row counted for before and
-- after (open or not, its colour, finished just now or not), and the difference added to its counters. Nothing to
-- add: nothing written, no lock taken.
CREATE FUNCTION supervision_count() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  was_open boolean := false;
  was_colour text;
  is_open boolean;
  finished_at timestamptz;
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
    IF NOT is_open AND (TG_OP = 'INSERT' OR was_open) THEN
      finished_at := NEW.completed_at;
    END IF;
    s := supervision_slot(NEW.id);
    department := NEW.lead_department;
    item := NEW.service_item_code;
  ELSE
    what := 'task';
    is_open := NEW.status IN ('open', 'claimed');
    IF TG_OP = 'UPDATE' THEN
      was_open := OLD.status IN ('open', 'claimed');
      was_colour := OLD.warning_level;
    END IF;
    IF NEW.status = 'completed' AND (TG_OP = 'INSERT' OR OLD.status <> 'completed') THEN
      finished_at := NEW.completed_at;
    END IF;
    s := supervision_slot(NEW.case_id);
    department := NEW.department_code;
    item := NEW.service_item_code;
    IF item IS NULL THEN -- a task closed before tasks carried their item (0018)
      SELECT c.service_item_code INTO item FROM cases c WHERE c.id = NEW.case_id;
    END IF;
  END IF;
  d_open := is_open::integer - was_open::integer;
  d_yellow := (is_open AND NEW.warning_level = 'yellow')::integer - (was_open AND was_colour = 'yellow')::integer;
  d_red := (is_open AND NEW.warning_level = 'red')::integer - (was_open AND was_colour = 'red')::integer;
  IF d_open = 0 AND d_yellow = 0 AND d_red = 0 AND finished_at IS NULL THEN
    RETURN NULL;
  END IF;
  PERFORM pg_advisory_xact_lock(7262018, s); -- 7262018: this migration's lock space (the migrations' own is 7262001)
  IF d_open <> 0 OR d_yellow <> 0 OR d_red <> 0 THEN
    INSERT INTO supervision_counts AS c (month, subject, department_code, service_item_code, slot, open, yellow, red)
    VALUES (NULL, what, department, coalesce(item, ''), s, d_open, d_yellow, d_red)
    ON CONFLICT (month, subject, department_code, service_item_code, slot) DO UPDATE
      SET open = c.open + excluded.open, yellow = c.yellow + excluded.yellow, red = c.red + excluded.red;
  END IF;
  IF finished_at IS NOT NULL THEN
    INSERT INTO supervision_counts AS c (month, subject, department_code, service_item_code, slot, on_time, late)
    VALUES (supervision_month(finished_at), what, department, coalesce(item, ''), s,
      (finished_at <= NEW.due_at)::integer, (finished_at > NEW.due_at)::integer)
    ON CONFLICT (month, subject, department_code, service_item_code, slot) DO UPDATE
      SET on_time = c.on_time + excluded.on_time, late = c.late + excluded.late;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER supervision_count_case_started AFTER INSERT ON cases
  FOR EACH ROW EXECUTE FUNCTION supervision_count();
--> statement-breakpoint
CREATE TRIGGER supervision_count_case_changed AFTER UPDATE OF status, warning_level ON cases
  FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.warning_level IS DISTINCT FROM NEW.warning_level)
  EXECUTE FUNCTION supervision_count();
--> statement-breakpoint
CREATE TRIGGER supervision_count_task_opened AFTER INSERT ON tasks
  FOR EACH ROW EXECUTE FUNCTION supervision_count();
--> statement-breakpoint
-- A claim or a release (open <-> claimed) changes no count: no call.
CREATE TRIGGER supervision_count_task_changed AFTER UPDATE OF status, warning_level ON tasks
  FOR EACH ROW WHEN ((OLD.status IN ('open', 'claimed')) IS DISTINCT FROM (NEW.status IN ('open', 'claimed'))
    OR OLD.warning_level IS DISTINCT FROM NEW.warning_level)
  EXECUTE FUNCTION supervision_count();
--> statement-breakpoint
-- Every count from the rows themselves (after a load with triggers off, or to check the counters).
CREATE FUNCTION supervision_recount() RETURNS void LANGUAGE sql AS $$
  DELETE FROM supervision_counts;
  INSERT INTO supervision_counts (month, subject, department_code, service_item_code, slot, open, yellow, red, on_time, late)
  SELECT NULL, 'case', lead_department, service_item_code, supervision_slot(id), count(*),
    count(*) FILTER (WHERE warning_level = 'yellow'), count(*) FILTER (WHERE warning_level = 'red'), 0, 0
  FROM cases WHERE status = 'running' GROUP BY 3, 4, 5
  UNION ALL
  SELECT supervision_month(completed_at), 'case', lead_department, service_item_code, supervision_slot(id), 0, 0, 0,
    count(*) FILTER (WHERE completed_at <= due_at), count(*) FILTER (WHERE completed_at > due_at)
  FROM cases WHERE status <> 'running' AND completed_at IS NOT NULL GROUP BY 1, 3, 4, 5
  UNION ALL
  SELECT NULL, 'task', t.department_code, coalesce(c.service_item_code, ''), supervision_slot(t.case_id), count(*),
    count(*) FILTER (WHERE t.warning_level = 'yellow'), count(*) FILTER (WHERE t.warning_level = 'red'), 0, 0
  FROM tasks t LEFT JOIN cases c ON c.id = t.case_id WHERE t.status IN ('open', 'claimed') GROUP BY 3, 4, 5
  UNION ALL
  SELECT supervision_month(t.completed_at), 'task', t.department_code, coalesce(c.service_item_code, ''), supervision_slot(t.case_id), 0, 0, 0,
    count(*) FILTER (WHERE t.completed_at <= t.due_at), count(*) FILTER (WHERE t.completed_at > t.due_at)
  FROM tasks t LEFT JOIN cases c ON c.id = t.case_id WHERE t.status = 'completed' AND t.completed_at IS NOT NULL GROUP BY 1, 3, 4, 5;
$$;
--> statement-breakpoint
-- The counters a 50 % fill factor keeps updating in place (HOT): a few hundred rows, rewritten all day.
ALTER TABLE supervision_counts SET (fillfactor = 50);
--> statement-breakpoint
-- The triggers above lock cases and tasks against writes until this migration commits: nothing is missed.
SELECT supervision_recount();
