-- The scale-out path (issue 19): every case-owned table keys on its case (db/schema/distribution.ts), so that on a
-- PostgreSQL sharded by case (Citus, distribution column `case_id`) each keeps its primary key and unique constraints.
-- A case's parts key on (id, case_id): `id` first, so the rows found by their id alone still use the primary key.
-- Each key is rebuilt under an exclusive lock of its table: on a large database, run it in a maintenance window.
--
-- Licence numbers stay unique across cases through a table of their own, filled with the numbers issued so far.
CREATE TABLE "licence_numbers" (
	"number" text PRIMARY KEY NOT NULL,
	"case_id" uuid NOT NULL
);
--> statement-breakpoint
INSERT INTO "licence_numbers" ("number", "case_id") SELECT "number", "case_id" FROM "licences";--> statement-breakpoint
ALTER TABLE "licences" DROP CONSTRAINT "licences_number_unique";--> statement-breakpoint
CREATE INDEX "licences_number_idx" ON "licences" USING btree ("number");--> statement-breakpoint
-- Case numbers are unique by construction (one value of the sequence `case_numbers` each, given by the trigger of 0022).
DROP INDEX "cases_number_idx";--> statement-breakpoint
CREATE INDEX "cases_number_idx" ON "cases" USING btree ("number");--> statement-breakpoint
-- Receipts refer to their notification by (id, case_id); the old reference goes before the key it leans on.
ALTER TABLE "notification_reads" DROP CONSTRAINT "notification_reads_notification_id_notifications_id_fk";--> statement-breakpoint
ALTER TABLE "case_comments" DROP CONSTRAINT "case_comments_pkey", ADD CONSTRAINT "case_comments_id_case_id_pk" PRIMARY KEY("id","case_id");--> statement-breakpoint
ALTER TABLE "case_copies" DROP CONSTRAINT "case_copies_pkey", ADD CONSTRAINT "case_copies_id_case_id_pk" PRIMARY KEY("id","case_id");--> statement-breakpoint
ALTER TABLE "licences" DROP CONSTRAINT "licences_pkey", ADD CONSTRAINT "licences_id_case_id_pk" PRIMARY KEY("id","case_id");--> statement-breakpoint
ALTER TABLE "materials" DROP CONSTRAINT "materials_pkey", ADD CONSTRAINT "materials_id_case_id_pk" PRIMARY KEY("id","case_id");--> statement-breakpoint
ALTER TABLE "opinions" DROP CONSTRAINT "opinions_pkey", ADD CONSTRAINT "opinions_id_case_id_pk" PRIMARY KEY("id","case_id");--> statement-breakpoint
ALTER TABLE "tasks" DROP CONSTRAINT "tasks_pkey", ADD CONSTRAINT "tasks_id_case_id_pk" PRIMARY KEY("id","case_id");--> statement-breakpoint
ALTER TABLE "notifications" DROP CONSTRAINT "notifications_pkey", ADD CONSTRAINT "notifications_id_case_id_pk" PRIMARY KEY("id","case_id");--> statement-breakpoint
ALTER TABLE "timer_incidents" DROP CONSTRAINT "timer_incidents_pkey", ADD CONSTRAINT "timer_incidents_id_case_id_pk" PRIMARY KEY("id","case_id");--> statement-breakpoint
ALTER TABLE "timers" DROP CONSTRAINT "timers_pkey", ADD CONSTRAINT "timers_id_case_id_pk" PRIMARY KEY("id","case_id");--> statement-breakpoint
ALTER TABLE "supervision_notices" DROP CONSTRAINT "supervision_notices_pkey", ADD CONSTRAINT "supervision_notices_id_case_id_pk" PRIMARY KEY("id","case_id");--> statement-breakpoint
ALTER TABLE "supplement_requests" DROP CONSTRAINT "supplement_requests_pkey", ADD CONSTRAINT "supplement_requests_id_case_id_pk" PRIMARY KEY("id","case_id");--> statement-breakpoint
ALTER TABLE "notification_reads" ADD COLUMN "case_id" uuid;--> statement-breakpoint
UPDATE "notification_reads" r SET "case_id" = n."case_id" FROM "notifications" n WHERE n."id" = r."notification_id";--> statement-breakpoint
ALTER TABLE "notification_reads" ALTER COLUMN "case_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "notification_reads" DROP CONSTRAINT "notification_reads_notification_id_user_id_pk",
  ADD CONSTRAINT "notification_reads_notification_id_user_id_case_id_pk" PRIMARY KEY("notification_id","user_id","case_id");--> statement-breakpoint
ALTER TABLE "notification_reads" ADD CONSTRAINT "notification_reads_notification_fk" FOREIGN KEY ("notification_id","case_id") REFERENCES "public"."notifications"("id","case_id") ON DELETE cascade ON UPDATE no action;