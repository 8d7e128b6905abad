"""Layer markers for `fwbench inproc --layers` (bench/layers/README.md).

Imported only in that mode, after the app is loaded: `install(app, framework)` marks each
framework's layer boundaries with `_fwbench_layers` (the C module the embedded host registers,
src/embed/layer_module.h) and returns the callable to serve. The apps themselves are not
changed; what is patched is patched in that one process. Marking is done with the frameworks'
public hooks where they exist, and otherwise by replacing a function with a marked one
(`_fwbench_layers.mark`, a C wrapper costing a few hundred instructions per call).
"""

import _fwbench_layers as _native

LAYERS = {name: index for index, name in enumerate(_native.LAYERS)}


def layer(name):
    """The index of a layer name; ValueError naming the known layers otherwise."""
    try:
        return LAYERS[name]
    except KeyError:
        raise ValueError(f"unknown layer {name!r}; known: {', '.join(LAYERS)}") from None


def mark_attr(owner, name, layer_name):
    """Replaces owner.name (a class attribute or an instance's bound method) by a marked
    version running in layer `layer_name`. Only what `owner` itself defines is replaced for
    classes, so a subclass override is not wrapped twice by accident."""
    if isinstance(owner, type) and name not in owner.__dict__:
        raise AttributeError(f"{owner.__qualname__} does not define {name}")
    original = owner.__dict__[name] if isinstance(owner, type) else getattr(owner, name)
    setattr(owner, name, _native.mark(original, layer(layer_name)))


def mark(fn, layer_name):
    """fn, run inside layer `layer_name`."""
    return _native.mark(fn, layer(layer_name))


def enterer(layer_name):
    """A callable ignoring its arguments that enters `layer_name` (for signal pairs)."""
    return _native.enterer(layer(layer_name))


def leaver(layer_name):
    """A callable ignoring its arguments that leaves `layer_name`."""
    return _native.leaver(layer(layer_name))


def call_marked(layer_name):
    """A callable c(f, *args) -> f(*args) run inside `layer_name`."""
    return _native.call_marked(layer(layer_name))


_INSTALLED = set()


def install(app, framework):
    """The WSGI callable to serve: `app` with the layer markers of `framework` installed
    ("flask", "django"), or for None (a raw module:attr app) `app` marked as the adapter
    layer, after `app.fwbench_layers_install()` when it has one (so such an app, e.g. the test
    fixture, marks its own regions). Raises ValueError for a framework without markers."""
    if framework is None:
        hook = getattr(app, "fwbench_layers_install", None)
        return mark(hook() if hook else app, "adapter")
    if framework in _INSTALLED:
        raise RuntimeError(f"layer markers for {framework} are already installed")
    if framework == "flask":
        from . import _flask as impl
    elif framework == "django":
        from . import _django as impl
    else:
        raise ValueError(
            f"no layer markers for framework {framework!r}; known: flask, django "
            "(add apps/common/fwbench_layers/_<name>.py and name its boundaries in "
            "bench/layers/README.md)"
        )
    _INSTALLED.add(framework)
    return impl.install(app)
