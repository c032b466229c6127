@NullMarked
package dev.airlock.store;

import org.jspecify.annotations.NullMarked;
