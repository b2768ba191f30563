CREATE TABLE "material_blob_chunks" (
	"blob_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"data" "bytea" NOT NULL,
	CONSTRAINT "material_blob_chunks_blob_id_seq_pk" PRIMARY KEY("blob_id","seq")
);
--> statement-breakpoint
CREATE TABLE "material_blobs" (
	"id" uuid PRIMARY KEY NOT NULL,
	"sha256" text NOT NULL,
	"size_bytes" bigint NOT NULL,
	"content_type" text NOT NULL,
	"file_name" text NOT NULL,
	"storage" text NOT NULL,
	"storage_key" text,
	"scan_status" text NOT NULL,
	"uploaded_by" text NOT NULL,
	"uploaded_at" timestamp with time zone NOT NULL,
	"case_id" uuid
);
--> statement-breakpoint
CREATE TABLE "supplement_requests" (
	"id" uuid PRIMARY KEY NOT NULL,
	"case_id" uuid NOT NULL,
	"task_id" uuid NOT NULL,
	"materials" jsonb NOT NULL,
	"requested_by" text NOT NULL,
	"requested_at" timestamp with time zone NOT NULL,
	"answered_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "licence_types" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"valid_years" integer
);
--> statement-breakpoint
CREATE TABLE "signing_keys" (
	"key_id" text PRIMARY KEY NOT NULL,
	"algorithm" text NOT NULL,
	"public_key" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"retired_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "webhook_deliveries" (
	"id" uuid PRIMARY KEY NOT NULL,
	"subscription_id" uuid NOT NULL,
	"department_code" text NOT NULL,
	"event" text NOT NULL,
	"case_id" uuid,
	"source_id" uuid NOT NULL,
	"payload" jsonb NOT NULL,
	"status" text NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone NOT NULL,
	"last_error" text,
	"last_status" integer,
	"created_at" timestamp with time zone NOT NULL,
	"delivered_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "webhook_subscriptions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"department_code" text NOT NULL,
	"url" text NOT NULL,
	"events" text[] NOT NULL,
	"secret" text NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "case_ratings" (
	"case_id" uuid PRIMARY KEY NOT NULL,
	"score" integer NOT NULL,
	"comment" text NOT NULL,
	"rated_at" timestamp with time zone NOT NULL,
	"fix_department" text,
	"fix_due_at" timestamp with time zone,
	"fix_due_derivation" jsonb,
	"answer" text,
	"answered_by" text,
	"answered_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "query_code_hash" text;--> statement-breakpoint
ALTER TABLE "licences" ADD COLUMN "holder_id_type" text;--> statement-breakpoint
ALTER TABLE "licences" ADD COLUMN "holder_id_number" text;--> statement-breakpoint
ALTER TABLE "licences" ADD COLUMN "issuing_department" text;--> statement-breakpoint
ALTER TABLE "licences" ADD COLUMN "valid_from" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "licences" ADD COLUMN "valid_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "licences" ADD COLUMN "algorithm" text;--> statement-breakpoint
ALTER TABLE "licences" ADD COLUMN "key_id" text;--> statement-breakpoint
ALTER TABLE "licences" ADD COLUMN "signature" text;--> statement-breakpoint
ALTER TABLE "licences" ADD COLUMN "revoked_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "licences" ADD COLUMN "revoked_by" text;--> statement-breakpoint
ALTER TABLE "licences" ADD COLUMN "revocation_reason" text;--> statement-breakpoint
ALTER TABLE "materials" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "materials" ADD COLUMN "content_type" text;--> statement-breakpoint
ALTER TABLE "materials" ADD COLUMN "blob_id" uuid;--> statement-breakpoint
ALTER TABLE "materials" ADD COLUMN "licence_number" text;--> statement-breakpoint
-- A material submitted again by a supplement before versions were kept: its later rows become its next versions.
UPDATE "materials" m SET "version" = r.n
FROM (SELECT "id", row_number() OVER (PARTITION BY "case_id", "name" ORDER BY "submitted_at", "id") AS n FROM "materials") r
WHERE m."id" = r."id" AND r.n > 1;--> statement-breakpoint
-- Licences issued before holders and issuers were columns: the applicant's ID (a resident ID then) and the case's lead department.
UPDATE "licences" l SET "holder_id_type" = coalesce(l."holder"->>'idType', 'resident-id'), "holder_id_number" = l."holder"->>'idNumber',
  "issuing_department" = c."lead_department", "valid_from" = l."issued_at"
FROM "cases" c WHERE c."id" = l."case_id";--> statement-breakpoint
CREATE INDEX "material_blobs_staged_idx" ON "material_blobs" USING btree ("uploaded_at") WHERE "material_blobs"."case_id" is null;--> statement-breakpoint
CREATE INDEX "supplement_requests_case_idx" ON "supplement_requests" USING btree ("case_id","requested_at");--> statement-breakpoint
CREATE UNIQUE INDEX "webhook_deliveries_source_idx" ON "webhook_deliveries" USING btree ("subscription_id","source_id","event");--> statement-breakpoint
CREATE INDEX "webhook_deliveries_due_idx" ON "webhook_deliveries" USING btree ("next_attempt_at") WHERE "webhook_deliveries"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "webhook_deliveries_subscription_idx" ON "webhook_deliveries" USING btree ("subscription_id","created_at");--> statement-breakpoint
CREATE INDEX "webhook_deliveries_dead_idx" ON "webhook_deliveries" USING btree ("department_code","created_at") WHERE "webhook_deliveries"."status" = 'dead';--> statement-breakpoint
CREATE INDEX "webhook_subscriptions_department_idx" ON "webhook_subscriptions" USING btree ("department_code") WHERE "webhook_subscriptions"."active";--> statement-breakpoint
CREATE INDEX "case_ratings_open_fix_idx" ON "case_ratings" USING btree ("fix_department","fix_due_at") WHERE "case_ratings"."fix_department" is not null and "case_ratings"."answered_at" is null;--> statement-breakpoint
CREATE INDEX "licences_holder_idx" ON "licences" USING btree ("holder_id_type","holder_id_number","licence_type");--> statement-breakpoint
CREATE UNIQUE INDEX "materials_case_name_version_idx" ON "materials" USING btree ("case_id","name","version");