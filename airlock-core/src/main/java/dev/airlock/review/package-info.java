@NullMarked
package dev.airlock.review;

import org.jspecify.annotations.NullMarked;
