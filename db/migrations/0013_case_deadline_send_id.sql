-- The case deadline follows the committed clock (issue 11): a pause cancels its pending timer by send id. Timers scheduled before it had none.
UPDATE "timers" SET "send_id" = 'case.deadline' WHERE "kind" = 'case.deadline' AND "send_id" IS NULL;
