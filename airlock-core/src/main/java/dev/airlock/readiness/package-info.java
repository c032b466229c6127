@NullMarked
package dev.airlock.readiness;

import org.jspecify.annotations.NullMarked;
