@NullMarked
package dev.airlock.policy;

import org.jspecify.annotations.NullMarked;
