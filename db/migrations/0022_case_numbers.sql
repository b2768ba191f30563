CREATE SEQUENCE "public"."case_numbers" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
-- Case numbers (受理编号), people read them and say them on the phone: `<year of intake in Beijing time>-<n>`, n from
-- the sequence with at least 6 digits (`2026-000123`; `2026-1234567` once past a million). The database gives them at
-- insert, so the engine's commands are unchanged: a trigger rather than a column default, because the year is the
-- case's own intake (`created_at`, the engine's clock), which a default cannot read.
CREATE FUNCTION case_number_text(received timestamptz, n bigint) RETURNS text LANGUAGE sql STABLE AS $$
  SELECT extract(year FROM received AT TIME ZONE 'Asia/Shanghai')::int::text || '-' || lpad(n::text, greatest(6, length(n::text)), '0')
$$;
--> statement-breakpoint
CREATE FUNCTION case_number() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.number := case_number_text(NEW.created_at, nextval('case_numbers'));
  RETURN NEW;
END $$;
--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "number" text;--> statement-breakpoint
-- The cases already there, numbered in the order they were received; the sequence goes on after them.
UPDATE cases c SET number = case_number_text(c.created_at, o.n)
FROM (SELECT id, row_number() OVER (ORDER BY created_at, id) AS n FROM cases) o
WHERE o.id = c.id;--> statement-breakpoint
SELECT setval('case_numbers', (SELECT count(*) FROM cases) + 1, false);--> statement-breakpoint
ALTER TABLE "cases" ALTER COLUMN "number" SET NOT NULL;--> statement-breakpoint
CREATE TRIGGER case_number BEFORE INSERT ON cases FOR EACH ROW WHEN (NEW.number IS NULL) EXECUTE FUNCTION case_number();--> statement-breakpoint
CREATE UNIQUE INDEX "cases_number_idx" ON "cases" USING btree ("number");--> statement-breakpoint
CREATE INDEX "tasks_inbox_received_idx" ON "tasks" USING btree ("department_code","opened_at") WHERE "tasks"."status" in ('open', 'claimed');
