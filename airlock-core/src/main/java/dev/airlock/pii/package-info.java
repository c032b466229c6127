@NullMarked
package dev.airlock.pii;

import org.jspecify.annotations.NullMarked;
