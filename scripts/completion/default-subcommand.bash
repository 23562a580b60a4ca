
# Appended by `make install` to the script perftop generates (`perftop --generate-completion-script
# bash`): `watch` is perftop's default subcommand, so while no subcommand has been typed, complete
# as if it had been (`perftop --att` → `--attach`), besides the top level's own words.
_perftop_default_watch() {
    _perftop "$@"
    if [[ ${COMP_CWORD} -ge 1 && ${COMP_WORDS[1]} == -* ]]; then
        local -a top=("${COMPREPLY[@]}")
        local -a words=("${COMP_WORDS[@]}")
        local -i cword=${COMP_CWORD}
        COMP_WORDS=("${words[0]}" watch "${words[@]:1}")
        COMP_CWORD=$((cword + 1))
        COMPREPLY=()
        _perftop "$@"
        local -A seen=()
        local -a merged=()
        local word
        for word in "${top[@]}" "${COMPREPLY[@]}"; do
            [[ -n ${seen[$word]:-} ]] || merged+=("$word")
            seen[$word]=1
        done
        COMPREPLY=("${merged[@]}")
        COMP_WORDS=("${words[@]}")
        COMP_CWORD=${cword}
    fi
}
complete -o filenames -F _perftop_default_watch perftop
