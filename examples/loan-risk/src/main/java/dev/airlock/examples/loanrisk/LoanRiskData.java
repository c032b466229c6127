package dev.airlock.examples.loanrisk;

import java.util.List;

/** The two data files of the example, generated from fixed seeds. */
final class LoanRiskData {
    static final int TRAINING_ROWS = 20_000;
    static final int PRODUCTION_ROWS = 2_000;

    private LoanRiskData() {}

    static List<Applicant> trainingApplicants() {
        return new ApplicantGenerator(Population.TRAINING).draw(TRAINING_ROWS, "A");
    }

    static List<Applicant> productionApplicants() {
        return new ApplicantGenerator(Population.PRODUCTION).draw(PRODUCTION_ROWS, "P");
    }

    /** {@code data/train.csv}: clean rows from the training population. */
    static byte[] trainingCsv() {
        return Csv.write(
                ApplicationRows.HEADER,
                trainingApplicants().stream().map(ApplicationRows::clean).toList());
    }

    /** {@code data/production-sample.csv}: raw rows from the shifted population, with the outcomes seen since. */
    static byte[] productionSampleCsv() {
        ProductionMess mess = new ProductionMess();
        return Csv.write(
                ApplicationRows.HEADER,
                productionApplicants().stream().map(mess::render).toList());
    }
}
