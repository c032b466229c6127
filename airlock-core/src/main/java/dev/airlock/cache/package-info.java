@NullMarked
package dev.airlock.cache;

import org.jspecify.annotations.NullMarked;
