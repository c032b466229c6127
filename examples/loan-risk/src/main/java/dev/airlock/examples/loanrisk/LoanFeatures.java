package dev.airlock.examples.loanrisk;

import dev.airlock.examples.loanrisk.FeatureDef.Categorical;
import dev.airlock.examples.loanrisk.FeatureDef.Numeric;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The loan-risk model's inputs, in input order: the one place that knows what a loan application is. */
final class LoanFeatures {
    static final List<FeatureDef> ALL = List.of(
            new Numeric(
                    "annual_income",
                    "Gross income per year.",
                    "currency units per year",
                    true,
                    "reject",
                    0,
                    10_000_000,
                    ",",
                    Map.of("k", 1_000.0),
                    "INCOME_HIGH",
                    "INCOME_LOW"),
            new Numeric(
                    "debt_to_income",
                    "Monthly debt payments over monthly income, before this loan (0.31 or \"31%\").",
                    "ratio",
                    false,
                    "mean",
                    0,
                    1.5,
                    null,
                    Map.of("%", 0.01),
                    "DEBT_TO_INCOME_HIGH",
                    "DEBT_TO_INCOME_LOW"),
            new Numeric(
                    "employment_years",
                    "Whole years with the current employer.",
                    "years",
                    false,
                    "mean",
                    0,
                    60,
                    null,
                    Map.of(),
                    "EMPLOYMENT_LONG",
                    "EMPLOYMENT_SHORT"),
            new Numeric(
                    "loan_amount",
                    "The amount asked for.",
                    "currency units",
                    true,
                    "reject",
                    500,
                    100_000,
                    ",",
                    Map.of("k", 1_000.0),
                    "LOAN_AMOUNT_HIGH",
                    "LOAN_AMOUNT_LOW"),
            new Numeric(
                    "loan_term_months",
                    "Repayment term (36 or 60 in the training data).",
                    "months",
                    false,
                    "36",
                    6,
                    120,
                    null,
                    Map.of("months", 1.0),
                    "LOAN_TERM_LONG",
                    "LOAN_TERM_SHORT"),
            new Numeric(
                    "credit_history_years",
                    "Whole years since the first credit line was opened.",
                    "years",
                    false,
                    "mean",
                    0,
                    80,
                    null,
                    Map.of(),
                    "CREDIT_HISTORY_LONG",
                    "CREDIT_HISTORY_SHORT"),
            new Numeric(
                    "delinquencies_2y",
                    "Payments 30 or more days late in the last two years; missing means none reported.",
                    "count",
                    false,
                    "0",
                    0,
                    50,
                    null,
                    Map.of(),
                    "DELINQUENCIES_RECENT",
                    "DELINQUENCIES_NONE"),
            new Numeric(
                    "open_credit_lines",
                    "Credit lines open today.",
                    "count",
                    false,
                    "mean",
                    0,
                    100,
                    null,
                    Map.of(),
                    "CREDIT_LINES_MANY",
                    "CREDIT_LINES_FEW"),
            new Categorical(
                    "home_ownership",
                    "Whether the applicant rents, pays a mortgage or owns outright.",
                    List.of("rent", "mortgage", "own"),
                    aliases(
                            "renting", "rent",
                            "rented", "rent",
                            "tenant", "rent",
                            "mortgaged", "mortgage",
                            "home_loan", "mortgage",
                            "own_home", "own",
                            "owner", "own",
                            "homeowner", "own",
                            "owned", "own"),
                    "unknown",
                    "HOME_OWNERSHIP"),
            new Categorical(
                    "purpose",
                    "What the loan is for.",
                    List.of(
                            "debt_consolidation",
                            "home_improvement",
                            "car",
                            "small_business",
                            "medical",
                            "education",
                            "other"),
                    aliases(
                            "credit_card", "debt_consolidation",
                            "consolidation", "debt_consolidation",
                            "auto", "car",
                            "vehicle", "car",
                            "business", "small_business",
                            "medical_expenses", "medical",
                            "school", "education",
                            "tuition", "education",
                            "renovation", "home_improvement"),
                    "unknown",
                    "PURPOSE"),
            new Categorical(
                    "region",
                    "Where the applicant lives. A proxy for local conditions; watch it for fairness.",
                    List.of("north", "south", "east", "west"),
                    aliases("n", "north", "s", "south", "e", "east", "w", "west"),
                    "unknown",
                    "REGION"));

    private LoanFeatures() {}

    private static Map<String, String> aliases(String... pairs) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return Collections.unmodifiableMap(map);
    }
}
