package dev.airlock.examples.loanrisk;

/**
 * One loan application as it really is, before anyone types it into a form.
 *
 * @param id the application id
 * @param annualIncome gross income per year, in whole hundreds
 * @param debtToIncome monthly debt payments over monthly income, before this loan, three decimals
 * @param employmentYears whole years with the current employer
 * @param loanAmount the amount asked for, a multiple of 250
 * @param loanTermMonths 36 or 60
 * @param creditHistoryYears whole years since the first credit line
 * @param delinquencies2y payments 30+ days late in the last two years
 * @param openCreditLines credit lines open today
 * @param homeOwnership rent, mortgage or own
 * @param purpose what the loan is for
 * @param region where the applicant lives
 * @param defaultProbability the true probability of default under the latent process
 * @param defaulted whether this applicant went on to default
 */
record Applicant(
        String id,
        double annualIncome,
        double debtToIncome,
        int employmentYears,
        double loanAmount,
        int loanTermMonths,
        int creditHistoryYears,
        int delinquencies2y,
        int openCreditLines,
        String homeOwnership,
        String purpose,
        String region,
        double defaultProbability,
        boolean defaulted) {}
