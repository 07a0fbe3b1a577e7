"""The dependency graph of a form: which computed values read which, in an order to compute them.

A node is ``(kind, name)``:

- ``relevant``: whether the element applies (its own ``relevant`` and its parent's);
- ``count``: how many rows a repeat has (changed by adding, removing, or the repeat ceasing to
  apply);
- ``choices``: the options a ``choice_filter`` leaves visible;
- ``value``: a question's value (its answer, cleared when it does not apply or its option is
  filtered out; or its calculation);
- ``required``, ``readonly``, ``constraint``: leaves nothing else reads.

A node has one value per instance of its *scope*, the repeats that index it (a repeat's own
``relevant`` and ``count`` are per row of its parent, so their scope leaves the repeat out).
An edge carries ``shared``: how many repeat levels the two ends share, so a change in row
``(a, b)`` of a question concerns the dependent's instances that agree on those levels.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from fieldkit.forms.expressions import Expression
from fieldkit.forms.model import Element, Question, Repeat

Node = tuple[str, str]

RELEVANT = "relevant"
COUNT = "count"
CHOICES = "choices"
VALUE = "value"
REQUIRED = "required"
READONLY = "readonly"
CONSTRAINT = "constraint"

_KIND_RANK = {RELEVANT: 0, COUNT: 1, CHOICES: 2, VALUE: 3, REQUIRED: 4, READONLY: 5, CONSTRAINT: 6}
# The column each kind of node comes from, to name it in a message.
COLUMN = {
    RELEVANT: "relevant",
    COUNT: "relevant",
    CHOICES: "choice_filter",
    VALUE: "calculation",
    REQUIRED: "required",
    READONLY: "read_only",
    CONSTRAINT: "constraint",
}


@dataclass(frozen=True, slots=True)
class NodeInfo:
    node: Node
    element: Element
    scope: tuple[str, ...]
    expression: Expression | None
    index: int  # position in the topological order


class DependencyGraph:
    """Nodes in topological order, each with the nodes that read it.

    ``dependents[node]`` is a tuple of ``(dependent, shared)``; ``inside[repeat]`` the nodes
    with an instance per row of that repeat (nested repeats included).
    """

    def __init__(
        self,
        infos: Mapping[Node, NodeInfo],
        dependents: Mapping[Node, tuple[tuple[Node, int], ...]],
        cycles: tuple[tuple[Node, ...], ...],
    ) -> None:
        self.info = infos
        self.order: tuple[Node, ...] = tuple(infos)
        self.dependents = dependents
        self.cycles = cycles
        inside: dict[str, list[Node]] = {}
        for node, info in infos.items():
            for repeat in info.scope:
                inside.setdefault(repeat, []).append(node)
        self.inside: dict[str, tuple[Node, ...]] = {k: tuple(v) for k, v in inside.items()}
        self.volatile: tuple[Node, ...] = tuple(
            n for n, i in infos.items() if i.expression is not None and i.expression.volatile
        )

    def __len__(self) -> int:
        return len(self.order)


def _scope(element: Element, kind: str) -> tuple[str, ...]:
    if isinstance(element, Repeat) and kind in (RELEVANT, COUNT):
        return element.repeats[:-1]
    return element.repeats


def _shared(a: tuple[str, ...], b: tuple[str, ...]) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def build_graph(elements: Mapping[str, Element]) -> DependencyGraph:
    """The graph of ``elements`` (every element of a form by name, in sheet order).

    References to names that are not elements are left out (the loader reports them); cycles
    are found and kept in ``graph.cycles`` (the loader refuses the form when there are any);
    their nodes, and what reads them, are left out of the order.
    """
    nodes: dict[Node, tuple[Element, Expression | None]] = {}
    deps: dict[Node, set[Node]] = {}

    def reads(expression: Expression | None) -> set[Node]:
        out: set[Node] = set()
        if expression is None:
            return out
        for name in expression.references:
            target = elements.get(name)
            if isinstance(target, Repeat):
                out.add((COUNT, name))
            elif isinstance(target, Question) and target.has_value:
                out.add((VALUE, name))
        return out

    def add(kind: str, element: Element, expression: Expression | None, on: set[Node]) -> Node:
        node = (kind, element.name)
        nodes[node] = (element, expression)
        deps[node] = on
        return node

    for element in elements.values():
        parent = elements.get(element.parent) if element.parent else None
        relevant_on = reads(element.relevant)
        if parent is not None:
            relevant_on.add((RELEVANT, parent.name))
        relevant = add(RELEVANT, element, element.relevant, relevant_on)
        if isinstance(element, Repeat):
            add(COUNT, element, None, {relevant})
        if not isinstance(element, Question):
            continue
        q = element
        value_on = {relevant}
        if q.choice_filter is not None:
            value_on.add(add(CHOICES, q, q.choice_filter, reads(q.choice_filter) | {relevant}))
        if q.has_value:
            value_on |= reads(q.calculation)
            value = add(VALUE, q, q.calculation, value_on)
        else:
            value = None
        if q.required is not None:
            add(REQUIRED, q, q.required, reads(q.required) | {relevant})
        if q.read_only is not None:
            add(READONLY, q, q.read_only, reads(q.read_only) | {relevant})
        if q.constraint is not None:
            on = reads(q.constraint) | {relevant}
            if value is not None:
                on.add(value)
            add(CONSTRAINT, q, q.constraint, on)

    # Drop edges to nodes that do not exist (a note without calculation has no value).
    for on in deps.values():
        on.intersection_update(nodes)

    cycles = _cycles(list(nodes), deps)

    element_rank = {name: i for i, name in enumerate(elements)}

    def rank(node: Node) -> tuple[int, int]:
        return (element_rank[node[1]], _KIND_RANK[node[0]])

    # Kahn's algorithm; ties go in sheet order so the order is stable and readable.
    dependents: dict[Node, list[Node]] = {n: [] for n in nodes}
    waiting: dict[Node, int] = {}
    for node, on in deps.items():
        waiting[node] = len(on)
        for d in on:
            dependents[d].append(node)
    ready = [(rank(n), n) for n, count in waiting.items() if count == 0]
    heapq.heapify(ready)
    order: list[Node] = []
    while ready:
        _, node = heapq.heappop(ready)
        order.append(node)
        for dependent in dependents[node]:
            waiting[dependent] -= 1
            if waiting[dependent] == 0:
                heapq.heappush(ready, (rank(dependent), dependent))

    infos: dict[Node, NodeInfo] = {}
    for i, node in enumerate(order):
        element, expression = nodes[node]
        infos[node] = NodeInfo(node, element, _scope(element, node[0]), expression, i)
    edges: dict[Node, tuple[tuple[Node, int], ...]] = {}
    for node in order:
        scope = infos[node].scope
        edges[node] = tuple(
            sorted(
                ((d, _shared(scope, infos[d].scope)) for d in dependents[node] if d in infos),
                key=lambda e: infos[e[0]].index,
            )
        )
    return DependencyGraph(infos, edges, tuple(cycles))


def _cycles(nodes: list[Node], deps: Mapping[Node, Iterable[Node]]) -> list[tuple[Node, ...]]:
    """Every cycle, as a path of nodes (each reads the next; the last reads the first), one per
    strongly connected component (Tarjan's algorithm, iterative: chains can be long)."""
    index: dict[Node, int] = {}
    low: dict[Node, int] = {}
    on_stack: set[Node] = set()
    stack: list[Node] = []
    components: list[list[Node]] = []
    counter = 0
    for root in nodes:
        if root in index:
            continue
        work: list[tuple[Node, Iterable[Node]]] = [(root, iter(deps[root]))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, it = work[-1]
            advanced = False
            for nxt in it:
                if nxt not in index:
                    index[nxt] = low[nxt] = counter
                    counter += 1
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, iter(deps[nxt])))
                    advanced = True
                    break
                if nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    n = stack.pop()
                    on_stack.discard(n)
                    component.append(n)
                    if n == node:
                        break
                if len(component) > 1 or node in deps[node]:
                    components.append(component)
    return [_cycle_path(c, deps) for c in components]


def _cycle_path(component: list[Node], deps: Mapping[Node, Iterable[Node]]) -> tuple[Node, ...]:
    """A cycle through the component, from its first node back to it (breadth-first, so short)."""
    members = set(component)
    start = min(component)
    previous: dict[Node, Node] = {}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for nxt in deps[node]:
                if nxt not in members:
                    continue
                if nxt == start:
                    path = [node]
                    while path[-1] != start:
                        path.append(previous[path[-1]])
                    # ``path`` walks back from start's reader; reversed, each node reads the next.
                    return tuple(reversed(path))
                if nxt not in previous:
                    previous[nxt] = node
                    following.append(nxt)
        frontier = following
    return (start,)
