@NullMarked
package dev.airlock.time;

import org.jspecify.annotations.NullMarked;
