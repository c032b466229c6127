@NullMarked
package dev.airlock.models;

import org.jspecify.annotations.NullMarked;
