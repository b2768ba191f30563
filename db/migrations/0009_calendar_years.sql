CREATE TABLE "calendar_years" (
	"calendar_code" text NOT NULL,
	"year" integer NOT NULL,
	"holidays" text[] NOT NULL,
	"make_up_workdays" text[] NOT NULL,
	"source" text NOT NULL,
	"checksum" text NOT NULL,
	"imported_at" timestamp with time zone DEFAULT now() NOT NULL,
	"imported_by" text,
	CONSTRAINT "calendar_years_calendar_code_year_pk" PRIMARY KEY("calendar_code","year")
);
--> statement-breakpoint
ALTER TABLE "calendars" ADD COLUMN "time_zone" text DEFAULT 'Asia/Shanghai' NOT NULL;--> statement-breakpoint
ALTER TABLE "calendars" ADD COLUMN "weekend_days" integer[] DEFAULT '{0,6}'::int[] NOT NULL;--> statement-breakpoint
ALTER TABLE "calendars" ADD COLUMN "parent_code" text;--> statement-breakpoint
ALTER TABLE "calendar_years" ADD CONSTRAINT "calendar_years_calendar_code_calendars_code_fk" FOREIGN KEY ("calendar_code") REFERENCES "public"."calendars"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calendars" ADD CONSTRAINT "calendars_parent_code_calendars_code_fk" FOREIGN KEY ("parent_code") REFERENCES "public"."calendars"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
-- The days kept merged on the calendar row move to one row per year (the years their dates fall in). The
-- checksum is the one the application computes: sha256 of the canonical JSON (keys sorted, no spaces) of
-- { calendar, holidays, makeUpWorkdays, year }, the dates sorted and listed once. These rows came from the
-- chinese-days package at install (imported_by null), so the next install refreshes them with its version.
INSERT INTO "calendar_years" ("calendar_code", "year", "holidays", "make_up_workdays", "source", "checksum")
SELECT c."code", y."year", h."days", m."days", 'chinese-days (installed before calendar years)',
	'sha256:' || encode(sha256(convert_to(
		'{"calendar":' || to_json(c."code")::text || ',"holidays":' || array_to_json(h."days")::text
		|| ',"makeUpWorkdays":' || array_to_json(m."days")::text || ',"year":' || y."year" || '}', 'UTF8')), 'hex')
FROM "calendars" c
CROSS JOIN LATERAL (SELECT DISTINCT substr(d, 1, 4)::int AS "year" FROM unnest(c."holidays" || c."make_up_workdays") d) y
CROSS JOIN LATERAL (
	SELECT coalesce(array_agg(DISTINCT d COLLATE "C" ORDER BY d COLLATE "C"), '{}') AS "days"
	FROM unnest(c."holidays") d WHERE substr(d, 1, 4)::int = y."year"
) h
CROSS JOIN LATERAL (
	SELECT coalesce(array_agg(DISTINCT d COLLATE "C" ORDER BY d COLLATE "C"), '{}') AS "days"
	FROM unnest(c."make_up_workdays") d WHERE substr(d, 1, 4)::int = y."year"
) m;--> statement-breakpoint
ALTER TABLE "calendars" DROP COLUMN "holidays";--> statement-breakpoint
ALTER TABLE "calendars" DROP COLUMN "make_up_workdays";