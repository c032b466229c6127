package dev.airlock.readiness;

class InMemoryEvidenceStoreTest extends EvidenceStoreContract {
    private final InMemoryEvidenceStore evidence = new InMemoryEvidenceStore();

    @Override
    protected EvidenceStore evidence() {
        return evidence;
    }
}
