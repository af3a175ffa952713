"""Static files in production: WhiteNoise's compressed, hashed copies, with the front-end's
JavaScript modules pointing at the hashed names of what they import.

`static/js/app.mjs` imports GOV.UK Frontend's bundle by a relative path. Django rewrites
`url(...)` in CSS and source maps in `*.js`, but not the imports of an `.mjs` module, so the
bundle was fetched by its plain name: WhiteNoise can only cache a plain name for a minute
(it may change), and every page revalidated 44 KB. With the import rewritten to the hashed
name, the bundle is cached for a year as immutable, like everything else."""

from whitenoise.storage import CompressedManifestStaticFilesStorage

# `import ... from "./x.js";` and `import "./x.js";` with a relative path.
_MODULE_IMPORTS = (
    "*.mjs",
    (
        (
            r"""(?P<matched>import(?s:(?P<import>[\s\{].*?|\*\s*as\s*\w+))"""
            r"""\s*from\s*["'](?P<url>\.{1,2}/.*?)["']\s*;)""",
            """import%(import)s from "%(url)s";""",
        ),
        (
            r"""(?P<matched>import\s*["'](?P<url>\.{1,2}/.*?)["']\s*;)""",
            """import "%(url)s";""",
        ),
    ),
)


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    patterns = (*CompressedManifestStaticFilesStorage.patterns, _MODULE_IMPORTS)
