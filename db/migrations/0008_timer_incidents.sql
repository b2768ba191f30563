CREATE TABLE "timer_incidents" (
	"id" uuid PRIMARY KEY NOT NULL,
	"case_id" uuid NOT NULL,
	"timer_id" uuid NOT NULL,
	"error" text NOT NULL,
	"attempts" integer NOT NULL,
	"first_failed_at" timestamp with time zone NOT NULL,
	"last_failed_at" timestamp with time zone NOT NULL,
	"resolved_at" timestamp with time zone,
	"resolved_by" text
);
--> statement-breakpoint
CREATE UNIQUE INDEX "timer_incidents_unresolved_idx" ON "timer_incidents" USING btree ("case_id","timer_id") WHERE "timer_incidents"."resolved_at" is null;--> statement-breakpoint
-- Period timers are cancelled by their send id when their state is left (engine/period-exits.ts); give the
-- pending ones written before that their key, so their cases get the same behaviour.
UPDATE "timers" SET "send_id" = 'period:' || ("event"->>'period') WHERE "kind" = 'period' AND "status" = 'pending' AND "send_id" IS NULL;
