ALTER TABLE "tasks" ADD COLUMN "signer_id" text;--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "opened_task_ids" uuid[];