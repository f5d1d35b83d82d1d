// Packaging an object file: a shared library through ld.lld, a static archive in process.
#include "emit/Emit.h"

#include "llvm/Object/ArchiveWriter.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Program.h"

namespace sinter {

llvm::Error linkSharedLibrary(llvm::StringRef object, llvm::StringRef output) {
  std::string linker = SINTER_LLD_PATH;
  if (!llvm::sys::fs::can_execute(linker)) {
    auto found = llvm::sys::findProgramByName("ld.lld");
    if (!found)
      return llvm::createStringError("cannot link a shared library: ld.lld not found "
                       "(install lld-22)");
    linker = *found;
  }
  // Math functions the kernels call (erff, tanhf, ...) come from libm; the
  // library records that dependency so it loads into any process.
  llvm::SmallVector<llvm::StringRef> args = {
      linker, "-shared", "--as-needed", "-o", output, object};
  for (llvm::StringRef dir : {"/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu",
                              "/lib/aarch64-linux-gnu", "/usr/lib/aarch64-linux-gnu",
                              "/usr/lib64", "/usr/lib"})
    if (llvm::sys::fs::exists(llvm::Twine(dir) + "/libm.so.6")) {
      args.push_back("-L");
      args.push_back(dir);
      args.push_back("-l:libm.so.6");
      break;
    }
  std::string message;
  int status = llvm::sys::ExecuteAndWait(linker, args, std::nullopt, {}, 0, 0,
                                         &message);
  if (status != 0)
    return llvm::createStringError("linking " + output + " failed" +
                     (message.empty() ? "" : ": " + message));
  return llvm::Error::success();
}

llvm::Error writeStaticArchive(llvm::StringRef object, llvm::StringRef output) {
  auto member = llvm::NewArchiveMember::getFile(object, /*Deterministic=*/true);
  if (!member)
    return member.takeError();
  std::vector<llvm::NewArchiveMember> members;
  members.push_back(std::move(*member));
  return llvm::writeArchive(output, members,
                            llvm::SymtabWritingMode::NormalSymtab,
                            llvm::object::Archive::K_GNU,
                            /*Deterministic=*/true, /*Thin=*/false);
}

} // namespace sinter
