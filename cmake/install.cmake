# `cmake --install build` and `bash tests/bootstrap.sh package` (a Debian
# package made by CPack): the binary, the suites and their JSON Schema, a man
# page and a bash completion, both generated from the binary's own help so they
# cannot drift from it, and the package's copyright and changelog.
include(GNUInstallDirs)

# The man page and the completion, made from `edgeprobe --help`, `edgeprobe
# COMMAND --help` and `edgeprobe probes` each time the binary changes.
set(GENERATED_DOC_DIR ${CMAKE_BINARY_DIR}/generated)
# Debian ships man pages and changelogs compressed (gzip -n: no name or time
# stamp, so the bytes depend only on the text).
add_custom_command(
  OUTPUT ${GENERATED_DOC_DIR}/edgeprobe.1 ${GENERATED_DOC_DIR}/edgeprobe.1.gz
         ${GENERATED_DOC_DIR}/edgeprobe.bash-completion ${GENERATED_DOC_DIR}/changelog.gz
  COMMAND ${CMAKE_COMMAND} -E make_directory ${GENERATED_DOC_DIR}
  COMMAND bash ${PROJECT_SOURCE_DIR}/cmake/make_manpage.sh $<TARGET_FILE:edgeprobe> ${GENERATED_DOC_DIR}/edgeprobe.1
  COMMAND gzip -9nf -k ${GENERATED_DOC_DIR}/edgeprobe.1
  COMMAND bash ${PROJECT_SOURCE_DIR}/cmake/make_completion.sh $<TARGET_FILE:edgeprobe>
          ${GENERATED_DOC_DIR}/edgeprobe.bash-completion
  COMMAND ${CMAKE_COMMAND} -E copy ${PROJECT_SOURCE_DIR}/cmake/debian/changelog ${GENERATED_DOC_DIR}/changelog
  COMMAND gzip -9nf ${GENERATED_DOC_DIR}/changelog
  DEPENDS edgeprobe ${PROJECT_SOURCE_DIR}/cmake/make_manpage.sh ${PROJECT_SOURCE_DIR}/cmake/make_completion.sh
          ${PROJECT_SOURCE_DIR}/cmake/debian/changelog
  COMMENT "Man page and bash completion from edgeprobe's own help")
add_custom_target(edgeprobe_docs ALL
  DEPENDS ${GENERATED_DOC_DIR}/edgeprobe.1.gz ${GENERATED_DOC_DIR}/edgeprobe.bash-completion
          ${GENERATED_DOC_DIR}/changelog.gz)

install(TARGETS edgeprobe RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
file(GLOB SHIPPED_SUITES CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/suites/*.json)
install(FILES ${SHIPPED_SUITES} DESTINATION ${CMAKE_INSTALL_DATADIR}/edgeprobe/suites)
install(FILES ${GENERATED_DOC_DIR}/edgeprobe.1.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES ${GENERATED_DOC_DIR}/edgeprobe.bash-completion
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME edgeprobe)
install(FILES ${PROJECT_SOURCE_DIR}/cmake/debian/copyright ${GENERATED_DOC_DIR}/changelog.gz
        ${PROJECT_SOURCE_DIR}/README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR})

# --- The Debian package ----------------------------------------------------
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME edgeprobe)
set(CPACK_PACKAGE_VENDOR "edgeprobe developers")
set(CPACK_PACKAGE_CONTACT "edgeprobe developers <maintainers@edgeprobe.org>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "active connectivity checks that name the real cause")
# The extended description; CPack puts the summary above it as the synopsis.
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
    "edgeprobe checks DNS, TCP, UDP, TLS, STUN/TURN, the SQL Server Browser, the\nMS-RPC endpoint mapper, HTTP and Exchange EWS from suite files or the command\nline, and says why a check failed: a refused port, a silent drop, an ICMP\nreject from a named router, an expired or incomplete certificate chain.")
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)                 # edgeprobe_0.1.0_amd64.deb
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)                  # Depends from the libraries the binary links
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS ca-certificates)    # the roots the tls, http and ews probes trust
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_STRIP_FILES ON)
include(CPack)
