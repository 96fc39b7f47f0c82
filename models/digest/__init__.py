"""The weekly digest, the Bloemetje in de Buurt, and the printable street card."""
