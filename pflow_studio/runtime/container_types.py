"""The stable type names of the container nodes (Group, Map, Filter): code that must recognise a
container (operations, the canvas, the app) uses these instead of importing the classes or spelling
the names again. `runtime.containers` registers its classes under them."""

GROUP_TYPE = "core.group"
MAP_TYPE = "core.map"
FILTER_TYPE = "core.filter"
CONTAINER_TYPES = (GROUP_TYPE, MAP_TYPE, FILTER_TYPE)
FUNCTION_CONTAINER_TYPES = (MAP_TYPE, FILTER_TYPE)
"""Containers whose body is a single function node, run once per element."""
