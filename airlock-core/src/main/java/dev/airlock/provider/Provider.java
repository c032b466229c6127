package dev.airlock.provider;

/** Something that answers AI calls: an upstream API or an in-process model. */
public interface Provider {
    /** The name the configuration gives it. */
    String name();
}
