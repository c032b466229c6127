package dev.airlock.auth;

class InMemoryKeyStoreTest extends KeyStoreContract {
    private final InMemoryKeyStore keys = new InMemoryKeyStore();

    @Override
    protected KeyStore keys() {
        return keys;
    }
}
