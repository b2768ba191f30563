-- Notifications people can read: one read receipt per reader and notice; a department's notices newest first
-- (replacing the unused (department_code, created_at) index, now partial and ending in id for a stable order),
-- the supervisors' notices, and one case's.
CREATE TABLE "notification_reads" (
	"notification_id" uuid NOT NULL,
	"user_id" text NOT NULL,
	"read_at" timestamp with time zone NOT NULL,
	CONSTRAINT "notification_reads_notification_id_user_id_pk" PRIMARY KEY("notification_id","user_id")
);
--> statement-breakpoint
DROP INDEX "notifications_department_idx";--> statement-breakpoint
ALTER TABLE "notification_reads" ADD CONSTRAINT "notification_reads_notification_id_notifications_id_fk" FOREIGN KEY ("notification_id") REFERENCES "public"."notifications"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "notification_reads_user_idx" ON "notification_reads" USING btree ("user_id","notification_id");--> statement-breakpoint
CREATE INDEX "notifications_department_inbox_idx" ON "notifications" USING btree ("department_code","created_at","id") WHERE "notifications"."audience" = 'department';--> statement-breakpoint
CREATE INDEX "notifications_supervisors_idx" ON "notifications" USING btree ("created_at","id") WHERE "notifications"."audience" = 'supervisors';--> statement-breakpoint
CREATE INDEX "notifications_case_idx" ON "notifications" USING btree ("case_id","created_at","id");