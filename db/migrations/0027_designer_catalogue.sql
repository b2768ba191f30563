CREATE TABLE "definition_drafts" (
	"key" text NOT NULL,
	"version" integer NOT NULL,
	"title" text NOT NULL,
	"machine" jsonb NOT NULL,
	"updated_by" text NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "definition_drafts_key_version_pk" PRIMARY KEY("key","version"),
	CONSTRAINT "definition_drafts_version_positive" CHECK ("definition_drafts"."version" > 0)
);
--> statement-breakpoint
CREATE TABLE "service_item_versions" (
	"code" text NOT NULL,
	"version" integer NOT NULL,
	"status" text NOT NULL,
	"content" jsonb NOT NULL,
	"updated_by" text NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"published_by" text,
	"published_at" timestamp with time zone,
	CONSTRAINT "service_item_versions_code_version_pk" PRIMARY KEY("code","version"),
	CONSTRAINT "service_item_versions_version_positive" CHECK ("service_item_versions"."version" > 0),
	CONSTRAINT "service_item_versions_status" CHECK ("service_item_versions"."status" in ('draft', 'published'))
);
--> statement-breakpoint
CREATE TABLE "definition_migrations" (
	"id" uuid PRIMARY KEY NOT NULL,
	"definition_key" text NOT NULL,
	"from_version" integer NOT NULL,
	"to_version" integer NOT NULL,
	"mapping" jsonb NOT NULL,
	"case_ids" uuid[],
	"status" text NOT NULL,
	"total" integer NOT NULL,
	"migrated" integer DEFAULT 0 NOT NULL,
	"refusals" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"started_by" text NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone,
	CONSTRAINT "definition_migrations_versions" CHECK ("definition_migrations"."from_version" <> "definition_migrations"."to_version"),
	CONSTRAINT "definition_migrations_status" CHECK ("definition_migrations"."status" in ('running', 'finished'))
);
--> statement-breakpoint
ALTER TABLE "process_definitions" ADD COLUMN "published_by" text;--> statement-breakpoint
ALTER TABLE "service_items" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "service_items" ADD COLUMN "type" text DEFAULT 'administrative-licence' NOT NULL;--> statement-breakpoint
ALTER TABLE "service_items" ADD COLUMN "legal_basis_version" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "service_items" ADD COLUMN "scope" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "service_items" ADD COLUMN "participating_departments" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "service_items" ADD COLUMN "definition_version" integer;--> statement-breakpoint
-- An item ran on its definition's latest version until now: it is pinned to that version from now on.
UPDATE "service_items" SET "definition_version" = (SELECT max("version") FROM "process_definitions" d WHERE d."key" = "service_items"."definition_key");--> statement-breakpoint
ALTER TABLE "service_items" ALTER COLUMN "definition_version" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "service_items" ADD COLUMN "materials" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
-- Every case so far started under its item's first (and only) version. A constant default adds the column without
-- rewriting the table; the engine writes the version from now on.
ALTER TABLE "cases" ADD COLUMN "service_item_version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "cases" ALTER COLUMN "service_item_version" DROP DEFAULT;--> statement-breakpoint
CREATE INDEX "definition_migrations_started_idx" ON "definition_migrations" USING btree ("started_at");--> statement-breakpoint
CREATE INDEX "cases_open_definition_idx" ON "cases" USING btree ("definition_key","definition_version","created_at","id") WHERE "cases"."status" in ('running', 'suspended');--> statement-breakpoint
-- The items installed so far become their first published version (installed at start: no designer published them).
INSERT INTO "service_item_versions" ("code", "version", "status", "content", "updated_by", "updated_at", "published_by", "published_at")
SELECT "code", "version", 'published',
  jsonb_build_object('name', "name", 'type', "type", 'legalBasis', "legal_basis", 'legalBasisVersion', "legal_basis_version", 'scope', "scope",
    'leadDepartment', "lead_department", 'participatingDepartments', to_jsonb("participating_departments"), 'legalLimitDays', "legal_limit_days",
    'committedLimitDays', "committed_limit_days", 'definitionKey', "definition_key", 'definitionVersion', "definition_version",
    'calendarCode', "calendar_code", 'countingRule', "counting_rule", 'extension', "extension", 'uncountedProcedures', "uncounted_procedures",
    'ladder', "ladder", 'materials', "materials"),
  'system', now(), NULL, now()
FROM "service_items";--> statement-breakpoint
-- A published version is the law a case started under: it never changes and is never deleted.
CREATE FUNCTION service_item_versions_published_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.status = 'published' THEN
    RAISE EXCEPTION 'service item % version % is published: % is not allowed', OLD.code, OLD.version, TG_OP USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END;
$$;--> statement-breakpoint
CREATE TRIGGER service_item_versions_no_change_once_published
  BEFORE UPDATE OR DELETE ON "service_item_versions"
  FOR EACH ROW EXECUTE FUNCTION service_item_versions_published_immutable();
