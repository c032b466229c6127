-- Budgets and rate limits that every node sharing the database checks together (PostgreSQL; a single SQLite node
-- keeps them in memory). Amounts are nano-dollars, instants epoch nanoseconds, as in V1.

-- One row per budget and period: what was spent and what calls in flight hold. A reservation is one UPDATE that adds
-- to reserved only while spent + reserved + the amount stays within the hard limit, so nodes cannot overrun it
-- together. budget is "<name>|<scope>|<subject>|<period>", so a budget whose definition changes starts afresh.
CREATE TABLE budget_ledger (
    budget             TEXT    NOT NULL,
    period_start       BIGINT  NOT NULL,
    spent_nano_usd     BIGINT  NOT NULL,
    reserved_nano_usd  BIGINT  NOT NULL,
    PRIMARY KEY (budget, period_start)
);

-- What each call in flight holds. Its node renews expires_at while the call runs; once it passes (the node stopped),
-- any node releases the amount.
CREATE TABLE budget_reservations (
    holder           TEXT    NOT NULL,
    budget           TEXT    NOT NULL,
    period_start     BIGINT  NOT NULL,
    amount_nano_usd  BIGINT  NOT NULL,
    node             TEXT    NOT NULL,
    expires_at       BIGINT  NOT NULL,
    PRIMARY KEY (holder, budget)
);
CREATE INDEX budget_reservations_expiry ON budget_reservations (expires_at);
CREATE INDEX budget_reservations_node ON budget_reservations (node);

-- Token buckets of rate limits, in millionths of a token, refilled from updated_at on the next take.
CREATE TABLE rate_buckets (
    bucket        TEXT    NOT NULL PRIMARY KEY,
    micro_tokens  BIGINT  NOT NULL,
    updated_at    BIGINT  NOT NULL
);
