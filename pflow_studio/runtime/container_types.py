"""The stable type names of the container nodes (Group, Map, Filter, For, While): code that must recognise a
container (operations, the canvas, the app) uses these instead of importing the classes or spelling
the names again. `runtime.containers` and `runtime.loops` register their classes under them."""

GROUP_TYPE = "core.group"
MAP_TYPE = "core.map"
FILTER_TYPE = "core.filter"
FOR_TYPE = "core.for"
WHILE_TYPE = "core.while"
CONTAINER_TYPES = (GROUP_TYPE, MAP_TYPE, FILTER_TYPE, FOR_TYPE, WHILE_TYPE)
FUNCTION_CONTAINER_TYPES = (MAP_TYPE, FILTER_TYPE, FOR_TYPE)
"""Containers whose body is a single function node, run once per element (a For's iterations are its elements)."""
ONE_NODE_BODY_TYPES = (*FUNCTION_CONTAINER_TYPES, WHILE_TYPE)
"""Containers whose body is a single function node whose ports become theirs (a While runs it again and again)."""
