@NullMarked
package dev.airlock.audit;

import org.jspecify.annotations.NullMarked;
