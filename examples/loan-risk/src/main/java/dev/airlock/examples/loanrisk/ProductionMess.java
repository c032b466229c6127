package dev.airlock.examples.loanrisk;

import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * How applicants arrive in production: typed into forms, exported from a partner's system, merged from a legacy
 * database. Every rule here is listed in README.md with its rate. The mess has its own seed, so changing it never
 * changes who the applicants are.
 */
final class ProductionMess {
    static final long SEED = 7_331L;

    private final Random random = new Random(SEED);

    List<String> render(Applicant a) {
        return List.of(
                a.id(),
                income(a.annualIncome()),
                debtToIncome(a.debtToIncome()),
                employment(a.employmentYears()),
                amount(a.loanAmount()),
                term(a.loanTermMonths()),
                chance(0.02) ? "" : Integer.toString(a.creditHistoryYears()),
                chance(0.04) ? "" : Integer.toString(a.delinquencies2y()),
                chance(0.02) ? "N/A" : Integer.toString(a.openCreditLines()),
                homeOwnership(a.homeOwnership()),
                purpose(a.purpose()),
                region(a.region()),
                a.defaulted() ? "1" : "0");
    }

    private String income(double income) {
        double u = random.nextDouble();
        if (u < 0.03) {
            return "";
        } else if (u < 0.04) {
            return "N/A";
        } else if (u < 0.05) {
            return "-1"; // a legacy system's "unknown"
        } else if (u < 0.17) {
            return grouped(Math.round(income));
        } else if (u < 0.23) {
            return Math.round(income / 100) / 10.0 + "k";
        }
        return ApplicationRows.whole(income);
    }

    private String debtToIncome(double dti) {
        double u = random.nextDouble();
        if (u < 0.02) {
            return "";
        } else if (u < 0.10) {
            return Math.round(dti * 1000) / 10.0 + "%";
        }
        return Double.toString(dti);
    }

    private String employment(int years) {
        double u = random.nextDouble();
        if (u < 0.03) {
            return "";
        } else if (u < 0.04) {
            return "99"; // another legacy "unknown"
        }
        return Integer.toString(years);
    }

    private String amount(double amount) {
        double u = random.nextDouble();
        if (u < 0.005) {
            return "";
        } else if (u < 0.055) {
            return grouped(Math.round(amount));
        }
        return ApplicationRows.whole(amount);
    }

    private String term(int months) {
        return chance(0.15) ? months + " months" : Integer.toString(months);
    }

    private String homeOwnership(String home) {
        double u = random.nextDouble();
        if (u < 0.03) {
            return "";
        } else if (u < 0.05) {
            return oneOf("living_with_parents", "council housing");
        } else if (u < 0.25) {
            return capitalised(home);
        } else if (u < 0.30) {
            return home.toUpperCase(Locale.ROOT);
        } else if (u < 0.40) {
            return " " + home + " ";
        } else if (u < 0.50) {
            return switch (home) {
                case "own" -> oneOf("own-home", "homeowner", "owner");
                case "rent" -> oneOf("renting", "rented", "tenant");
                default -> oneOf("mortgaged", "home loan");
            };
        }
        return home;
    }

    private String purpose(String purpose) {
        double u = random.nextDouble();
        if (u < 0.15) {
            return capitalised(purpose).replace('_', ' ');
        } else if (u < 0.22) {
            return purpose.replace('_', '-');
        } else if (u < 0.30) {
            return switch (purpose) {
                case "car" -> "auto";
                case "small_business" -> "business";
                case "medical" -> "medical_expenses";
                case "debt_consolidation" -> "credit_card";
                case "education" -> "school";
                default -> purpose;
            };
        }
        return purpose;
    }

    private String region(String region) {
        double u = random.nextDouble();
        if (u < 0.02) {
            return "";
        } else if (u < 0.20) {
            return capitalised(region);
        } else if (u < 0.25) {
            return region.substring(0, 1).toUpperCase(Locale.ROOT);
        }
        return region;
    }

    private boolean chance(double p) {
        return random.nextDouble() < p;
    }

    private String oneOf(String... choices) {
        return choices[random.nextInt(choices.length)];
    }

    private static String grouped(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }

    private static String capitalised(String value) {
        StringBuilder out = new StringBuilder(value.length());
        boolean startOfWord = true;
        for (char c : value.toCharArray()) {
            out.append(startOfWord ? Character.toUpperCase(c) : c);
            startOfWord = c == '_' || c == ' ';
        }
        return out.toString();
    }
}
