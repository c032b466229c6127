@NullMarked
package dev.airlock.guard;

import org.jspecify.annotations.NullMarked;
