"""``afterview app``: the self-guided web page (Voilà) and the local server that serves it."""
