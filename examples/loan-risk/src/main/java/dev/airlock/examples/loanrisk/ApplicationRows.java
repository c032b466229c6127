package dev.airlock.examples.loanrisk;

import java.util.List;

/** How applicants are written down: clean, as in the training warehouse. */
final class ApplicationRows {
    static final String ID = "application_id";
    static final String LABEL = "default";
    static final List<String> HEADER = List.of(
            ID,
            "annual_income",
            "debt_to_income",
            "employment_years",
            "loan_amount",
            "loan_term_months",
            "credit_history_years",
            "delinquencies_2y",
            "open_credit_lines",
            "home_ownership",
            "purpose",
            "region",
            LABEL);

    private ApplicationRows() {}

    static List<String> clean(Applicant a) {
        return List.of(
                a.id(),
                whole(a.annualIncome()),
                Double.toString(a.debtToIncome()),
                Integer.toString(a.employmentYears()),
                whole(a.loanAmount()),
                Integer.toString(a.loanTermMonths()),
                Integer.toString(a.creditHistoryYears()),
                Integer.toString(a.delinquencies2y()),
                Integer.toString(a.openCreditLines()),
                a.homeOwnership(),
                a.purpose(),
                a.region(),
                a.defaulted() ? "1" : "0");
    }

    static String whole(double value) {
        return Long.toString(Math.round(value));
    }
}
