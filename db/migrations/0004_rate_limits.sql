CREATE TABLE "rate_limit_windows" (
	"principal" text NOT NULL,
	"action" text NOT NULL,
	"window_start" timestamp with time zone NOT NULL,
	"hits" integer NOT NULL,
	CONSTRAINT "rate_limit_windows_principal_action_window_start_pk" PRIMARY KEY("principal","action","window_start")
);
