package dev.airlock.models;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.pii.PiiDetector;
import dev.airlock.pii.PiiDetector.Type;
import java.util.List;
import org.junit.jupiter.api.Test;

class EntityModelTest {
    private final EntityModel model = new EntityModel();

    private List<String> found(String text) {
        return model.find(text).stream()
                .map(f -> f.type().id() + ":" + text.substring(f.start(), f.end()))
                .toList();
    }

    @Test
    void theBundledHead_findsNamesTheWordListsDoNotHold_andStreetAddressesWithoutAStreetWord() {
        assertThat(found("Ngozi Okonkwo called about a refund.")).containsExactly("person_name:Ngozi Okonkwo");
        assertThat(found("Send the replacement card to 221 Kromwater, 2511 Den Haag."))
                .containsExactly("postal_address:221 Kromwater, 2511 Den Haag");
        assertThat(found("The parcel was returned from 14 Ulica Kwiatowa 7, Kraków."))
                .containsExactly("postal_address:14 Ulica Kwiatowa 7");
    }

    @Test
    void yearsAmountsAndVersions_areNeitherNamesNorAddresses() {
        assertThat(found("During 1971 the bank opened a branch.")).isEmpty();
        assertThat(found("Build 5.4.74.968 released.")).isEmpty();
        assertThat(found("The transfer of 1,250.00 EUR was declined.")).isEmpty();
        assertThat(found("Mijn BSN is 111222333, graag bevestigen.")).isEmpty();
    }

    @Test
    void aTextLongerThanTheModelReads_isReadInWindows_toItsEnd() {
        String text = "The quarterly report covers fees, rates and branch opening hours. ".repeat(60)
                + "Questions go to Ngozi Okonkwo at 221 Kromwater, 2511 Den Haag.";

        assertThat(MiniLmRuntime.shared().countWordPieces(text)).isGreaterThan(600);
        assertThat(found(text)).contains("postal_address:221 Kromwater");
    }

    @Test
    void theDetector_usesTheInstalledModel_besideItsRules() {
        PiiDetector detector = new PiiDetector();

        assertThat(detector.usesEntityModel()).isTrue();
        assertThat(detector.find("Send the replacement card to 221 Kromwater, 2511 Den Haag."))
                .extracting(PiiDetector.Finding::type)
                .containsExactly(Type.POSTAL_ADDRESS);
        assertThat(new PiiDetector(null).find("Send the replacement card to 221 Kromwater, 2511 Den Haag."))
                .as("the rules alone do not know this street")
                .isEmpty();
    }
}
