"""Prints the linker script of scripts/hot-text: the input sections of the binary's `.text` that a
callgrind profile ran, hottest first, in one output section placed before `.text`.

    python3 scripts/hot-text-sections.py MAP PROFILE COMMIT > scripts/hot-text.ld

MAP is lld's `-Map` of the profiled binary, PROFILE a callgrind output written with
`--dump-instr=yes` (costs by instruction address), COMMIT the commit it was made from.

Sections up to 64 KiB come first, then the larger ones (the Swift runtime's libraries put most of
their code in one `.text` each): the small hot functions then share as few pages as they can. A
section is named by its object file's module folder and name, or its archive and member, so the
script matches any checkout and toolchain location.
"""

import bisect
import collections
import re
import sys

LARGE_SECTION = 64 * 1024


def text_sections(map_path):
    """The input sections of `.text`: (address, size, name) sorted by address."""
    sections = []
    output = None
    for line in open(map_path):
        fields = line.split(None, 4)
        if len(fields) < 5 or not re.fullmatch(r"[0-9a-f]+", fields[0]):
            continue
        name = fields[4].strip()
        if ":(" in name:
            if output == ".text":
                sections.append((int(fields[0], 16), int(fields[2], 16), name))
        elif name.startswith(".") and fields[3] != "1":
            output = name
    return sorted(sections)


def costs_by_section(profile_path, sections, binary_suffix="/perftop"):
    """Instructions the binary ran in each section (index into `sections`)."""
    starts = [section[0] for section in sections]
    costs = collections.Counter()
    objects = {}
    current = None
    last = 0
    object_line = re.compile(r"^(c?)ob=\((\d+)\)(?: (.*))?$")
    for line in open(profile_path, errors="replace"):
        match = object_line.match(line)
        if match:
            called, identifier, name = match.groups()
            if name is not None:
                objects[identifier] = name.strip()
            if not called:
                current = objects.get(identifier)
            continue
        if not line or not (line[0] in "+-*" or line.startswith("0x")):
            continue
        fields = line.split()
        if fields[0].startswith("0x"):
            address = int(fields[0], 16)
        elif fields[0] == "*":
            address = last
        else:
            address = last + int(fields[0])
        last = address
        if current is None or not current.endswith(binary_suffix):
            continue
        index = bisect.bisect_right(starts, address) - 1
        if index >= 0 and address < sections[index][0] + sections[index][1]:
            costs[index] += int(fields[-1])
    return costs


def pattern(name):
    """The linker script's pattern for a map's section name."""
    path, section = re.fullmatch(r"(.*):\((.*)\)", name).groups()
    member = re.fullmatch(r"(.*)\((.*)\)", path)
    if member:
        archive, object_file = member.groups()
        return f"*{archive.rsplit('/', 1)[-1]}:{object_file}({section})"
    folder, object_file = path.split("/")[-2:]
    return f"*/{folder}/{object_file}({section})"


def main():
    map_path, profile_path, commit = sys.argv[1:4]
    sections = text_sections(map_path)
    costs = costs_by_section(profile_path, sections)
    if not costs:
        sys.exit("hot-text-sections: the profile ran nothing in the binary's .text")
    order = sorted(costs, key=lambda index: (sections[index][1] > LARGE_SECTION, -costs[index]))
    size = sum(sections[index][1] for index in order)
    print(f"/* Made by scripts/hot-text from commit {commit}: the {len(order)} input sections")
    print(f"   ({size:,} bytes) a running dashboard executed. Do not edit; run scripts/hot-text. */")
    print("SECTIONS {")
    print("  .text.hot : {")
    for index in order:
        print(f"    {pattern(sections[index][2])}")
    print("  }")
    print("} INSERT BEFORE .text;")


if __name__ == "__main__":
    main()
