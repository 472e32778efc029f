"""``afterview batch``: every client's notebooks in warm kernels, reports, an index, a summary."""
