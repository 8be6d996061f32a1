"""Server-rendered web dashboard. Assets are served from the package (no CDN, no inline scripts)."""
