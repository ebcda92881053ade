package io.larder.hibernate;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;

/** An entity whose {@code @InvalidatesTags} names an association it does not have. */
@Entity
@InvalidatesTags(associations = "nope")
public class Misdeclared {
    @Id
    Long id;
}
