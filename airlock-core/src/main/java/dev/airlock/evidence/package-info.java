@NullMarked
package dev.airlock.evidence;

import org.jspecify.annotations.NullMarked;
