// MARK: - Lists

/// The ends and totals of one doubly linked list of cache slots whose links live in a ``CacheLinks``.
@usableFromInline
struct CacheList: Sendable {
    @usableFromInline var front = CacheLinks.none
    @usableFromInline var back = CacheLinks.none
    @usableFromInline var count = 0
    @usableFromInline var weight = 0

    @inlinable init() {}
}

// MARK: - Links

/// The previous and next slot of every cache slot in one family of lists, kept in one array.
///
/// Slots are addressed by array index, so linking and unlinking allocate nothing once the array has
/// grown; a slot is in at most one list of a family at a time. All operations are O(1).
@usableFromInline
struct CacheLinks: Sendable {
    @usableFromInline struct Link: Sendable {
        @usableFromInline var previous = CacheLinks.none
        @usableFromInline var next = CacheLinks.none

        @inlinable init() {}

        @inlinable init(previous: Int, next: Int) {
            self.previous = previous
            self.next = next
        }
    }

    /// The index meaning "no slot".
    @inlinable static var none: Int { -1 }

    @usableFromInline var links: [Link] = []

    /// The slot after `slot`, towards the back, or ``none``.
    @inlinable func next(_ slot: Int) -> Int {
        self.links[slot].next
    }

    /// The slot before `slot`, towards the front, or ``none``.
    @inlinable func previous(_ slot: Int) -> Int {
        self.links[slot].previous
    }

    /// Links `slot` at the front of `list`.
    @inlinable mutating func pushFront(_ slot: Int, into list: inout CacheList) {
        self.reserve(slot)
        self.link(slot, previous: Self.none, next: list.front, in: &list)
    }

    /// Links `slot` at the back of `list`.
    @inlinable mutating func pushBack(_ slot: Int, into list: inout CacheList) {
        self.reserve(slot)
        self.link(slot, previous: list.back, next: Self.none, in: &list)
    }

    /// Links `slot` into `list` just before `other`, which must be in `list`.
    @inlinable mutating func insert(_ slot: Int, before other: Int, in list: inout CacheList) {
        self.reserve(slot)
        self.link(slot, previous: self.links[other].previous, next: other, in: &list)
    }

    /// Unlinks `slot` from `list`, which must contain it.
    @inlinable mutating func remove(_ slot: Int, from list: inout CacheList) {
        let previous = self.links[slot].previous
        let next = self.links[slot].next
        if previous != Self.none {
            self.links[previous].next = next
        } else {
            list.front = next
        }
        if next != Self.none {
            self.links[next].previous = previous
        } else {
            list.back = previous
        }
        self.links[slot] = Link()
        list.count -= 1
    }

    /// Moves `slot`, which must be in `list`, to its front.
    @inlinable mutating func moveToFront(_ slot: Int, in list: inout CacheList) {
        guard slot != list.front else {
            return
        }
        self.remove(slot, from: &list)
        self.pushFront(slot, into: &list)
    }

    /// Forgets every link, keeping nothing allocated.
    @inlinable mutating func removeAll() {
        self.links = []
    }

    @inlinable mutating func reserve(_ slot: Int) {
        while self.links.count <= slot {
            self.links.append(Link())
        }
    }

    @inlinable mutating func link(_ slot: Int, previous: Int, next: Int, in list: inout CacheList) {
        self.links[slot] = Link(previous: previous, next: next)
        if previous != Self.none {
            self.links[previous].next = slot
        } else {
            list.front = slot
        }
        if next != Self.none {
            self.links[next].previous = slot
        } else {
            list.back = slot
        }
        list.count += 1
    }
}
