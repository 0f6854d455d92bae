CREATE TABLE "usage_month_totals" (
	"user_id" uuid NOT NULL,
	"month" date NOT NULL,
	"tokens" bigint DEFAULT 0 NOT NULL,
	"cost_usd" numeric(20, 12) DEFAULT '0' NOT NULL,
	CONSTRAINT "usage_month_totals_user_id_month_pk" PRIMARY KEY("user_id","month")
);
--> statement-breakpoint
ALTER TABLE "usage_month_totals" ADD CONSTRAINT "usage_month_totals_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- Every ledger insert adds to its person's month (once per statement, in a fixed order of rows so that two
-- statements adding to the same people cannot deadlock).
CREATE FUNCTION aistudio_add_to_month_totals() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO usage_month_totals AS t (user_id, month, tokens, cost_usd)
    SELECT user_id, date_trunc('month', created_at AT TIME ZONE 'UTC')::date AS month,
      sum(input_tokens + output_tokens), sum(cost_usd)
    FROM added_rows WHERE user_id IS NOT NULL
    GROUP BY 1, 2 ORDER BY 1, 2
  ON CONFLICT (user_id, month) DO UPDATE
    SET tokens = t.tokens + excluded.tokens, cost_usd = t.cost_usd + excluded.cost_usd;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER token_usage_month_totals AFTER INSERT ON token_usage
  REFERENCING NEW TABLE AS added_rows
  FOR EACH STATEMENT EXECUTE FUNCTION aistudio_add_to_month_totals();
--> statement-breakpoint
INSERT INTO usage_month_totals (user_id, month, tokens, cost_usd)
  SELECT user_id, date_trunc('month', created_at AT TIME ZONE 'UTC')::date,
    sum(input_tokens + output_tokens), sum(cost_usd)
  FROM token_usage WHERE user_id IS NOT NULL
  GROUP BY 1, 2;
--> statement-breakpoint
-- Budget reservations in one statement (ADR 027), for one call or for all the calls that asked meanwhile
-- (api/lib/write-group.ts): per person and month, the person's lock, their month's total and live holds
-- once, then each ask in turn against what is left after the asks before it — a verdict and, when it passes,
-- a hold. A function's statements each see what committed before them (read committed), so what is read
-- after a lock includes every hold made under it before; the locks end with the calling statement's
-- transaction, and are taken in one order (the lock's key, then the person) so two calls cannot deadlock,
-- even when two people's keys collide. Verdict: null (reserved), 'exceeded' (nothing left) or 'too_small'
-- (the prompt alone takes what is left). A null limit is no limit in that unit. The holds commit without
-- waiting for their WAL flush (synchronous_commit off for this transaction only): every other session sees
-- them at once, as after any commit; a crash can lose only holds that expire anyway, of calls the crash
-- ended. Waiting for the flush under the lock made one person's calls wait for each other's disk writes.
CREATE FUNCTION aistudio_reserve_budgets(p_asks jsonb)
RETURNS TABLE (idx int, reservation_id uuid, used_tokens bigint, used_cost numeric, verdict text)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  ask record;
  held_user uuid;
  held_month date;
  u_tokens bigint;
  u_cost numeric;
  left_tokens bigint;
  left_cost numeric;
  took_tokens bigint;
  took_cost numeric;
BEGIN
  PERFORM set_config('synchronous_commit', 'off', true);
  FOR ask IN
    SELECT * FROM jsonb_to_recordset(p_asks) AS a(i int, user_id uuid, month date, at timestamptz,
      expires timestamptz, limit_tokens bigint, limit_cost numeric, want_tokens bigint, want_cost numeric,
      prompt_tokens bigint, prompt_cost numeric)
    ORDER BY hashtext('budget:' || a.user_id::text), a.user_id, a.month, a.i
  LOOP
    IF held_user IS DISTINCT FROM ask.user_id OR held_month IS DISTINCT FROM ask.month THEN
      held_user := ask.user_id;
      held_month := ask.month;
      PERFORM pg_advisory_xact_lock(hashtext('budget:' || held_user::text));
      SELECT coalesce(sum(t.tokens), 0), coalesce(sum(t.cost_usd), 0) INTO u_tokens, u_cost
        FROM usage_month_totals t WHERE t.user_id = held_user AND t.month = held_month;
      SELECT u_tokens + coalesce(sum(r.tokens), 0), u_cost + coalesce(sum(r.cost_usd), 0) INTO u_tokens, u_cost
        FROM budget_reservations r WHERE r.user_id = held_user AND r.expires_at >= ask.at;
    END IF;
    idx := ask.i;
    reservation_id := NULL;
    used_tokens := u_tokens;
    used_cost := u_cost;
    verdict := NULL;
    left_tokens := ask.limit_tokens - u_tokens;
    left_cost := ask.limit_cost - u_cost;
    IF left_tokens <= 0 OR left_cost <= 0 THEN
      verdict := 'exceeded';
    ELSIF ask.prompt_tokens >= left_tokens OR (ask.prompt_cost > 0 AND ask.prompt_cost >= left_cost) THEN
      verdict := 'too_small';
    ELSE
      took_tokens := least(ask.want_tokens, left_tokens);
      took_cost := least(ask.want_cost, left_cost);
      INSERT INTO budget_reservations (user_id, tokens, cost_usd, expires_at)
        VALUES (held_user, took_tokens, took_cost, ask.expires)
        RETURNING id INTO reservation_id;
      u_tokens := u_tokens + took_tokens;
      u_cost := u_cost + took_cost;
    END IF;
    RETURN NEXT;
  END LOOP;
END $$;
